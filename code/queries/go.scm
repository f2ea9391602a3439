; Go. A declaration with one spec (`type T struct{...}`, `const N = 1`) is captured whole, so that its doc
; comment (a sibling of the declaration) and signature are found; the specs of a parenthesized group are
; captured one by one (each spec's comment sits beside it inside the parentheses). A parenthesized group of
; one spec matches both forms: either is right.

(package_clause (package_identifier) @name) @definition.module

; Functions and methods: a method's owner is its receiver's type (`func (s *Store[T]) Put()`).
(function_declaration name: (identifier) @name) @definition.function

(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [
        (type_identifier) @container
        (pointer_type (type_identifier) @container)
        (generic_type type: (type_identifier) @container)
        (pointer_type (generic_type type: (type_identifier) @container))
      ]))
  name: (field_identifier) @name) @definition.method

; Types: `type T struct`, `type T interface`, any other `type T U`, and aliases `type T = U`.
(type_declaration . (type_spec name: (type_identifier) @name type: (struct_type)) .) @definition.struct
(type_declaration "(" (type_spec name: (type_identifier) @name type: (struct_type)) @definition.struct)
(type_declaration . (type_spec name: (type_identifier) @name type: (interface_type)) .) @definition.interface
(type_declaration "(" (type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface)

(type_declaration
  . (type_spec
      name: (type_identifier) @name
      type: [(type_identifier) (qualified_type) (generic_type) (pointer_type) (slice_type) (array_type) (map_type)
             (channel_type) (function_type) (negated_type) (parenthesized_type)]) .) @definition.type
(type_declaration
  "("
  (type_spec
    name: (type_identifier) @name
    type: [(type_identifier) (qualified_type) (generic_type) (pointer_type) (slice_type) (array_type) (map_type)
           (channel_type) (function_type) (negated_type) (parenthesized_type)]) @definition.type)
(type_declaration . (type_alias name: (type_identifier) @name) .) @definition.type
(type_declaration "(" (type_alias name: (type_identifier) @name) @definition.type)

; Struct fields (embedded fields have no name of their own: their type stays a type use) and interface methods.
(field_declaration name: (field_identifier) @name) @definition.field
(method_elem name: (field_identifier) @name) @definition.method

; Package-level constants and variables.
(source_file (const_declaration . (const_spec name: (identifier) @name) .) @definition.constant)
(source_file (const_declaration "(" (const_spec name: (identifier) @name) @definition.constant))
(source_file (var_declaration . (var_spec name: (identifier) @name) .) @definition.variable)
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @name) @definition.variable)))

; Parameters (receivers, named results and type parameters too) and locals.
(parameter_declaration name: (identifier) @name) @local.parameter
(variadic_parameter_declaration name: (identifier) @name) @local.parameter
(type_parameter_declaration name: (identifier) @name) @local.parameter

(statement_list (const_declaration (const_spec name: (identifier) @name) @local.variable))
(statement_list (var_declaration (var_spec name: (identifier) @name) @local.variable))
(statement_list (var_declaration (var_spec_list (var_spec name: (identifier) @name) @local.variable)))
(short_var_declaration left: (expression_list (identifier) @name @local.variable))
(range_clause left: (expression_list (identifier) @name @local.variable) ":=")
(receive_statement left: (expression_list (identifier) @name @local.variable) ":=")
(type_switch_statement alias: (expression_list (identifier) @name @local.variable))

; Go scopes by block: a variable declared in an if/for/switch header lives in that statement.
[
  (func_literal)
  (block)
  (if_statement)
  (for_statement)
  (expression_switch_statement)
  (type_switch_statement)
  (select_statement)
  (expression_case)
  (type_case)
  (default_case)
  (communication_case)
] @local.scope

; Imports: the path; an import's own name (`str "strings"`) is no use of anything.
(import_spec path: [(interpreted_string_literal) (raw_string_literal)] @import.path) @import
(import_spec name: (package_identifier) @name) @reference.import

; Keys of a struct literal `T{Name: v}` are T's fields (a map literal's keys are expressions, but its type is
; spelled as a map type, not a name).
(composite_literal
  type: [(type_identifier) (qualified_type) (generic_type)] @receiver
  body: (literal_value (keyed_element key: (literal_element (identifier) @name)))) @reference.member
