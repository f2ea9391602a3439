; TypeScript and TSX (the tsx grammar reads this query too). As JavaScript, with the type-level declarations;
; class, interface and alias names are type_identifiers here.

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(function_signature name: (identifier) @name) @declaration.function
(class_declaration name: (type_identifier) @name) @definition.class
(abstract_class_declaration name: (type_identifier) @name) @definition.class
(class name: (type_identifier) @name) @definition.class
(interface_declaration name: (type_identifier) @name) @definition.interface
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(enum_body [(property_identifier) @name @definition.enumerator (enum_assignment name: (property_identifier) @name) @definition.enumerator])
(internal_module name: (identifier) @name) @definition.namespace
(module name: (identifier) @name) @definition.namespace

(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(method_signature name: (property_identifier) @name) @declaration.method
(abstract_method_signature name: (property_identifier) @name) @declaration.method
(public_field_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.field
(property_signature name: (property_identifier) @name) @definition.field

(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @definition.function
(variable_declarator name: (identifier) @name) @definition.variable
(variable_declarator name: (object_pattern [(shorthand_property_identifier_pattern) @name (pair_pattern value: (identifier) @name)])) @definition.variable
(variable_declarator name: (array_pattern (identifier) @name)) @definition.variable
(variable_declarator name: (array_pattern (rest_pattern (identifier) @name))) @definition.variable

(assignment_expression left: (member_expression object: (this) property: (property_identifier) @name)) @definition.field
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)]) @definition.method

(type_parameter name: (type_identifier) @name) @local.parameter
(infer_type (type_identifier) @name) @local.parameter
(mapped_type_clause name: (type_identifier) @name) @local.parameter
(required_parameter pattern: (identifier) @name) @local.parameter
(optional_parameter pattern: (identifier) @name) @local.parameter
(required_parameter pattern: (rest_pattern (identifier) @name)) @local.parameter
(required_parameter pattern: (object_pattern (shorthand_property_identifier_pattern) @name)) @local.parameter
(arrow_function parameter: (identifier) @name @local.parameter)
(catch_clause parameter: (identifier) @name) @local.parameter
(for_in_statement left: (identifier) @name) @local.variable
(for_in_statement left: (array_pattern (identifier) @name)) @local.variable
(for_in_statement left: (object_pattern (shorthand_property_identifier_pattern) @name)) @local.variable

(arrow_function) @local.scope
(function_expression) @local.scope
(statement_block) @local.scope  ; let and const are block-scoped
; Type parameters and parameters of one overload or function type are its own (an interface of overloads
; repeats `<T>` in each); `infer R` is seen in the branches of its conditional type, `[K in keyof T]` in
; its mapped type.
(call_signature) @local.scope
(construct_signature) @local.scope
(function_type) @local.scope
(constructor_type) @local.scope
(conditional_type) @local.scope
(index_signature) @local.scope

(import_statement source: (string (string_fragment) @import.path)) @import
(export_statement source: (string (string_fragment) @import.path)) @import
