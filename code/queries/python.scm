; Python. Assignments define: the first one of a name in a scope is its definition (the indexer keeps the
; first); inside a function they are locals, in a class body fields, at the top variables.

(class_definition
  name: (identifier) @name
  body: (block . (expression_statement (string) @doc)?)) @definition.class

(function_definition
  name: (identifier) @name
  body: (block . (expression_statement (string) @doc)?)) @definition.function

(parameters
  [
    (identifier) @name @local.parameter
    (default_parameter name: (identifier) @name) @local.parameter
    (typed_parameter (identifier) @name) @local.parameter
    (typed_default_parameter name: (identifier) @name) @local.parameter
    (list_splat_pattern (identifier) @name) @local.parameter
    (dictionary_splat_pattern (identifier) @name) @local.parameter
  ])

(lambda_parameters (identifier) @name @local.parameter)
(lambda) @local.scope

(assignment left: (identifier) @name) @definition.variable
(assignment left: (pattern_list (identifier) @name)) @definition.variable
(assignment left: (tuple_pattern (identifier) @name)) @definition.variable
(augmented_assignment left: (identifier) @name) @definition.variable

; self.x = ... in a method defines a field of the class.
(assignment left: (attribute object: (identifier) attribute: (identifier) @name)) @definition.field

(for_statement left: (identifier) @name) @local.variable
(for_statement left: (pattern_list (identifier) @name)) @local.variable
(for_in_clause left: (identifier) @name) @local.variable
(with_item value: (as_pattern alias: (as_pattern_target (identifier) @name))) @local.variable
(except_clause (as_pattern alias: (as_pattern_target (identifier) @name))) @local.variable

(import_statement name: [(dotted_name) @import.path (aliased_import name: (dotted_name) @import.path)]) @import
(import_from_statement module_name: [(dotted_name) (relative_import)] @import.path) @import
