; C#. Records are classes, delegates types, events fields (`event Handler Changed;`) or properties (with add/remove
; accessors); a method without a body (abstract, interface, extern, partial) is a declaration. Every name in this
; grammar is an `identifier`, so the uses that name types are marked below. Parameters are matched under their
; owner: record parameters are properties; those of delegates, operators and indexers are locals of that member.

; A file-scoped namespace holds the rest of the file, so the definition is the compilation unit around it.
(namespace_declaration name: (_) @name) @definition.namespace
(compilation_unit (file_scoped_namespace_declaration name: (_) @name)) @definition.namespace

; `using A.B;` and `using static A.B.C;` import their name, `using X = A.B;` the aliased name.
(using_directive !name [(identifier) (qualified_name)] @import.path) @import
(using_directive name: (identifier) . (_) @import.path) @import
(using_directive !name [
  (identifier) @name
  (qualified_name qualifier: (_) @receiver name: (identifier) @name)
]) @reference.import
(using_directive name: (identifier) . (qualified_name qualifier: (_) @receiver name: (identifier) @name)) @reference.import

(class_declaration name: (identifier) @name) @definition.class
; `record struct` before `record`: both match at the same node, tree-sitter reports them in pattern order, and of two
; definitions on one name the indexer keeps the first.
(record_declaration "struct" name: (identifier) @name) @definition.struct
(record_declaration name: (identifier) @name) @definition.class
(struct_declaration name: (identifier) @name) @definition.struct
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(enum_member_declaration name: (identifier) @name) @definition.enumerator
(delegate_declaration name: (identifier) @name) @definition.type
(record_declaration (parameter_list (parameter name: (identifier) @name) @definition.property))

(method_declaration name: (identifier) @name body: (_)) @definition.method
(method_declaration name: (identifier) @name !body) @declaration.method
(constructor_declaration name: (identifier) @name) @definition.constructor
(local_function_statement name: (identifier) @name) @definition.function

(field_declaration (variable_declaration (variable_declarator name: (identifier) @name))) @definition.field
(field_declaration (modifier "const") (variable_declaration (variable_declarator name: (identifier) @name))) @definition.constant
(event_field_declaration (variable_declaration (variable_declarator name: (identifier) @name))) @definition.field
(event_declaration name: (identifier) @name) @definition.property
(property_declaration name: (identifier) @name) @definition.property

; Parameters.
(method_declaration parameters: (parameter_list (parameter name: (identifier) @name) @local.parameter))
(constructor_declaration parameters: (parameter_list (parameter name: (identifier) @name) @local.parameter))
(local_function_statement parameters: (parameter_list (parameter name: (identifier) @name) @local.parameter))
(lambda_expression parameters: (parameter_list (parameter name: (identifier) @name) @local.parameter))
(lambda_expression parameters: (implicit_parameter) @name @local.parameter)
(anonymous_method_expression parameters: (parameter_list (parameter name: (identifier) @name) @local.parameter))
(catch_declaration name: (identifier) @name) @local.parameter
(delegate_declaration parameters: (parameter_list (parameter name: (identifier) @name) @local.parameter))
(operator_declaration parameters: (parameter_list (parameter name: (identifier) @name) @local.parameter))
(conversion_operator_declaration parameters: (parameter_list (parameter name: (identifier) @name) @local.parameter))
(indexer_declaration parameters: (bracketed_parameter_list (parameter name: (identifier) @name) @local.parameter))

; Local variables: declarations, loop variables, `using`/`fixed` resources, `out var`, patterns, query ranges.
(local_declaration_statement (variable_declaration (variable_declarator name: (identifier) @name))) @local.variable
(for_statement initializer: (variable_declaration (variable_declarator name: (identifier) @name))) @local.variable
(using_statement (variable_declaration (variable_declarator name: (identifier) @name))) @local.variable
(fixed_statement (variable_declaration (variable_declarator name: (identifier) @name))) @local.variable
(foreach_statement left: (identifier) @name @local.variable)
(foreach_statement left: (tuple_pattern name: (identifier) @name @local.variable))
(declaration_expression name: (identifier) @name) @local.variable
(declaration_pattern name: (identifier) @name) @local.variable
(recursive_pattern name: (identifier) @name) @local.variable
(var_pattern name: (identifier) @name) @local.variable
(parenthesized_variable_designation name: (identifier) @name) @local.variable
(from_clause name: (identifier) @name) @local.variable
(let_clause . (identifier) @name) @local.variable

(lambda_expression) @local.scope
(anonymous_method_expression) @local.scope
(block) @local.scope
(arrow_expression_clause) @local.scope
(for_statement) @local.scope
(foreach_statement) @local.scope
(using_statement) @local.scope
(fixed_statement) @local.scope
(catch_clause) @local.scope
(switch_section) @local.scope
(query_expression) @local.scope
; Members with parameters that are no function definitions: their parameters are locals of the member.
(delegate_declaration) @local.scope
(indexer_declaration) @local.scope
(operator_declaration) @local.scope
(conversion_operator_declaration) @local.scope

; Uses that name a type: the type of a declaration, parameter, cast, pattern, base list, type argument, attribute.
; (A generic_name starts where its identifier does, so capturing it marks that identifier.)
[
  (parameter type: [(identifier) (generic_name)] @name)
  (variable_declaration type: [(identifier) (generic_name)] @name)
  (method_declaration returns: [(identifier) (generic_name)] @name)
  (local_function_statement type: [(identifier) (generic_name)] @name)
  (delegate_declaration type: [(identifier) (generic_name)] @name)
  (property_declaration type: [(identifier) (generic_name)] @name)
  (indexer_declaration type: [(identifier) (generic_name)] @name)
  (event_declaration type: [(identifier) (generic_name)] @name)
  (operator_declaration type: [(identifier) (generic_name)] @name)
  (conversion_operator_declaration type: [(identifier) (generic_name)] @name)
  (catch_declaration type: [(identifier) (generic_name)] @name)
  (foreach_statement type: [(identifier) (generic_name)] @name)
  (declaration_expression type: [(identifier) (generic_name)] @name)
  (declaration_pattern type: [(identifier) (generic_name)] @name)
  (recursive_pattern type: [(identifier) (generic_name)] @name)
  (type_pattern type: [(identifier) (generic_name)] @name)
  (cast_expression type: [(identifier) (generic_name)] @name)
  (typeof_expression type: [(identifier) (generic_name)] @name)
  (default_expression type: [(identifier) (generic_name)] @name)
  (is_expression right: [(identifier) (generic_name)] @name)
  (as_expression right: [(identifier) (generic_name)] @name)
  (type_parameter_constraint type: [(identifier) (generic_name)] @name)
  (nullable_type type: [(identifier) (generic_name)] @name)
  (array_type type: [(identifier) (generic_name)] @name)
  (pointer_type type: [(identifier) (generic_name)] @name)
  (ref_type type: [(identifier) (generic_name)] @name)
  (tuple_element type: [(identifier) (generic_name)] @name)
  (lambda_expression type: [(identifier) (generic_name)] @name)
  (primary_constructor_base_type type: [(identifier) (generic_name)] @name)
  (type_argument_list [(identifier) (generic_name)] @name)
  (base_list [(identifier) (generic_name)] @name)
  (attribute name: [(identifier) (generic_name)] @name)
] @reference.type
[
  (parameter type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (variable_declaration type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (method_declaration returns: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (local_function_statement type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (delegate_declaration type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (property_declaration type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (indexer_declaration type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (event_declaration type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (catch_declaration type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (foreach_statement type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (declaration_pattern type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (recursive_pattern type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (type_pattern type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (cast_expression type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (typeof_expression type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (nullable_type type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (array_type type: (qualified_name qualifier: (_) @receiver name: (_) @name))
  (type_argument_list (qualified_name qualifier: (_) @receiver name: (_) @name))
  (base_list (qualified_name qualifier: (_) @receiver name: (_) @name))
  (attribute name: (qualified_name qualifier: (_) @receiver name: (_) @name))
] @reference.type

; Calls the tables cannot tell: `new` of a generic or qualified type, generic methods, `a?.B()`.
(object_creation_expression type: (generic_name) @name) @reference.call
(object_creation_expression type: (qualified_name qualifier: (_) @receiver name: (_) @name)) @reference.call
(invocation_expression function: (generic_name) @name) @reference.call
(invocation_expression function: (member_access_expression expression: _ @receiver name: (generic_name) @name)) @reference.call
(invocation_expression
  function: (conditional_access_expression
    condition: _ @receiver
    (member_binding_expression name: [(identifier) (generic_name)] @name))) @reference.call
