; JavaScript (also JSX). A const bound to a function is a function; other declarators are variables (locals
; inside functions).

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (identifier) @name) @definition.class
(class name: (identifier) @name) @definition.class
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(field_definition property: [(property_identifier) (private_property_identifier)] @name) @definition.field

(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @definition.function
(variable_declarator name: (identifier) @name) @definition.variable
(variable_declarator name: (object_pattern [(shorthand_property_identifier_pattern) @name (pair_pattern value: (identifier) @name)])) @definition.variable
(variable_declarator name: (array_pattern (identifier) @name)) @definition.variable
(variable_declarator name: (array_pattern (rest_pattern (identifier) @name))) @definition.variable

; this.x = ... in a method defines a field.
(assignment_expression left: (member_expression object: (this) property: (property_identifier) @name)) @definition.field
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)]) @definition.method

(formal_parameters
  [
    (identifier) @name @local.parameter
    (assignment_pattern left: (identifier) @name) @local.parameter
    (rest_pattern (identifier) @name) @local.parameter
    (object_pattern (shorthand_property_identifier_pattern) @name) @local.parameter
    (array_pattern (identifier) @name) @local.parameter
  ])
(arrow_function parameter: (identifier) @name @local.parameter)
(catch_clause parameter: (identifier) @name) @local.parameter
(for_in_statement left: (identifier) @name) @local.variable
(for_in_statement left: (array_pattern (identifier) @name)) @local.variable
(for_in_statement left: (object_pattern (shorthand_property_identifier_pattern) @name)) @local.variable

(arrow_function) @local.scope
(function_expression) @local.scope
(statement_block) @local.scope  ; let and const are block-scoped

(import_statement source: (string (string_fragment) @import.path)) @import
(export_statement source: (string (string_fragment) @import.path)) @import
