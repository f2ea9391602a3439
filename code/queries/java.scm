; Java. Records are classes and annotation types (@interface) interfaces; a method without a body (abstract,
; interface, native, annotation element) is a declaration. Parameters are matched under their method, constructor
; or lambda so that record components (fields, below) are not also taken for parameters.

; A package is a module named by its dotted path; `import a.b.*;` imports the package path `a.b`.
(package_declaration [(identifier) (scoped_identifier)] @name) @definition.module
(module_declaration name: (_) @name) @definition.module

(import_declaration [(identifier) (scoped_identifier)] @import.path) @import
; The imported name: `List` in `import java.util.List;`, `requireNonNull` in a static import.
; (A wildcard import names a package: its asterisk is the last child.)
(import_declaration (scoped_identifier scope: (_) @receiver name: (identifier) @name) .) @reference.import

(class_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(annotation_type_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(enum_constant name: (identifier) @name) @definition.enumerator

(record_declaration
  parameters: (formal_parameters [
    (formal_parameter name: (identifier) @name)
    (spread_parameter (variable_declarator name: (identifier) @name))
  ] @definition.field))

(method_declaration name: (identifier) @name body: (block)) @definition.method
(method_declaration name: (identifier) @name !body) @declaration.method
(annotation_type_element_declaration name: (identifier) @name) @declaration.method
(constructor_declaration name: (identifier) @name) @definition.constructor
(compact_constructor_declaration name: (identifier) @name) @definition.constructor

; Fields; `static final` ones (and every field of an interface) are constants.
(field_declaration declarator: (variable_declarator name: (identifier) @name)) @definition.field
(field_declaration
  (modifiers ["static" "final"] ["static" "final"])
  declarator: (variable_declarator name: (identifier) @name)) @definition.constant
(constant_declaration declarator: (variable_declarator name: (identifier) @name)) @definition.constant

; Parameters.
(method_declaration parameters: (formal_parameters [
  (formal_parameter name: (identifier) @name)
  (spread_parameter (variable_declarator name: (identifier) @name))
] @local.parameter))
(constructor_declaration parameters: (formal_parameters [
  (formal_parameter name: (identifier) @name)
  (spread_parameter (variable_declarator name: (identifier) @name))
] @local.parameter))
(lambda_expression parameters: (formal_parameters [
  (formal_parameter name: (identifier) @name)
  (spread_parameter (variable_declarator name: (identifier) @name))
] @local.parameter))
(lambda_expression parameters: (identifier) @name @local.parameter)
(lambda_expression parameters: (inferred_parameters (identifier) @name @local.parameter))
(catch_formal_parameter name: (identifier) @name) @local.parameter

; Local variables, loop variables, resources and pattern variables.
(local_variable_declaration declarator: (variable_declarator name: (identifier) @name)) @local.variable
(enhanced_for_statement name: (identifier) @name @local.variable)
(resource name: (identifier) @name) @local.variable
(instanceof_expression name: (identifier) @name @local.variable)
(type_pattern (identifier) @name) @local.variable
(record_pattern_component (identifier) @name) @local.variable

(lambda_expression) @local.scope
(block) @local.scope
(for_statement) @local.scope
(enhanced_for_statement) @local.scope
(catch_clause) @local.scope
(try_with_resources_statement) @local.scope
(switch_block_statement_group) @local.scope
(switch_rule) @local.scope

; Uses the tables cannot tell: annotations name types, and `new` of a generic or qualified type is a call.
(marker_annotation name: [(identifier) @name (scoped_identifier name: (identifier) @name)]) @reference.type
(annotation name: [(identifier) @name (scoped_identifier name: (identifier) @name)]) @reference.type
(object_creation_expression type: (generic_type [
  (type_identifier) @name
  (scoped_type_identifier (type_identifier) @name .)
]) @reference.call)
(object_creation_expression type: (scoped_type_identifier (type_identifier) @name .) @reference.call)

; `Type::method` and `expr::method` name a member of what precedes `::`.
(method_reference . (_) @receiver . (identifier) @name .) @reference.member
