; Rust. Functions inside `impl Foo` / `impl Trait for Foo` belong to Foo (the impl is a scope, not a
; definition); functions inside a trait belong to the trait.

(impl_item
  type: [
    (type_identifier) @name
    (generic_type type: (type_identifier) @name)
    (scoped_type_identifier name: (type_identifier) @name)
    (generic_type type: (scoped_type_identifier name: (type_identifier) @name))
    (reference_type type: (type_identifier) @name)
  ]) @scope.impl

(function_item name: (identifier) @name) @definition.function
; A trait's required method is that method's definition; a function in an `extern` block is a declaration.
(trait_item body: (declaration_list (function_signature_item name: (identifier) @name) @definition.function))
(foreign_mod_item body: (declaration_list (function_signature_item name: (identifier) @name) @declaration.function))

(struct_item name: (type_identifier) @name) @definition.struct
(union_item name: (type_identifier) @name) @definition.union
(enum_item name: (type_identifier) @name) @definition.enum
(enum_variant name: (identifier) @name) @definition.enumerator
(trait_item name: (type_identifier) @name) @definition.trait
(type_item name: (type_identifier) @name) @definition.type
(associated_type name: (type_identifier) @name) @definition.type
(struct_item body: (field_declaration_list (field_declaration name: (field_identifier) @name) @definition.field))
(union_item body: (field_declaration_list (field_declaration name: (field_identifier) @name) @definition.field))
; A struct-like variant's fields belong to the variant (`Custom { level }`: level in Custom).
(enum_variant
  name: (identifier) @container
  body: (field_declaration_list (field_declaration name: (field_identifier) @name) @definition.field))

(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.variable

; `mod m { ... }` defines a module; `mod m;` declares one kept in another file, and imports it.
(mod_item name: (identifier) @name body: (declaration_list)) @definition.module
(mod_item name: (identifier) @name !body) @declaration.module
(mod_item name: (identifier) @import.path !body) @import

(macro_definition name: (identifier) @name) @definition.macro

; Imports: the path as written (`std::collections::HashMap`, `crate::util::helper`); for a list
; (`std::fmt::{self, Display}`) or a glob (`std::io::*`) the path in front of it.
(use_declaration argument: [(identifier) (scoped_identifier)] @import.path) @import
(use_declaration argument: (use_as_clause path: (_) @import.path)) @import
(use_declaration argument: (scoped_use_list path: (_) @import.path)) @import
(use_declaration argument: (use_wildcard (_) @import.path)) @import
(extern_crate_declaration name: (identifier) @import.path) @import

; The names a `use` brings in are imports, not member accesses.
(use_declaration argument: (scoped_identifier path: (_) @receiver name: (identifier) @name)) @reference.import
(use_as_clause path: (scoped_identifier path: (_) @receiver name: (identifier) @name)) @reference.import
(use_as_clause alias: (identifier) @name) @reference.import
(scoped_use_list path: (_) @receiver list: (use_list (identifier) @name)) @reference.import
(scoped_use_list path: (_) @receiver list: (use_list (scoped_identifier name: (identifier) @name))) @reference.import

; Parameters: of functions (simple, `mut`, tuple and reference patterns), of closures, and generic ones.
(parameter pattern: (identifier) @name) @local.parameter
(parameter pattern: (mut_pattern (identifier) @name)) @local.parameter
(parameter pattern: (tuple_pattern (identifier) @name)) @local.parameter
(parameter pattern: (reference_pattern (identifier) @name)) @local.parameter
(closure_parameters (identifier) @name @local.parameter)
(closure_parameters (mut_pattern (identifier) @name @local.parameter))
(closure_parameters (tuple_pattern (identifier) @name @local.parameter))
(closure_parameters (reference_pattern (identifier) @name @local.parameter))
(type_parameter name: (type_identifier) @name) @local.parameter
(const_parameter name: (identifier) @name) @local.parameter

; Locals: a plain name bound by `let`, `for` or `if let`/`while let`, and the names inside any destructuring
; pattern (tuples, `Some(x)`, `Point { x, y: py }`, `mut x`, `ref x`, `&x`, `x @ ..`, slices). A bare name as a
; whole match arm is left out: it is as often a constant or a unit variant (`None`) as a binding.
(let_declaration pattern: (identifier) @name) @local.variable
(for_expression pattern: (identifier) @name) @local.variable
(let_condition pattern: (identifier) @name) @local.variable
(tuple_pattern (identifier) @name @local.variable)
(tuple_struct_pattern type: (_) (identifier) @name @local.variable)
(field_pattern name: (shorthand_field_identifier) @name @local.variable)
(field_pattern pattern: (identifier) @name @local.variable)
(mut_pattern (identifier) @name @local.variable)
(ref_pattern (identifier) @name @local.variable)
(reference_pattern (identifier) @name @local.variable)
(captured_pattern . (identifier) @name @local.variable)
(slice_pattern (identifier) @name @local.variable)

; Rust scopes by block; a `for`, `if let`, `while let` or match arm binding lives in that expression.
[
  (closure_expression)
  (block)
  (for_expression)
  (if_expression)
  (while_expression)
  (match_arm)
] @local.scope

; Field names in a struct literal `Task { name: v }` and a struct pattern `Task { name: n }` are Task's fields.
(struct_expression
  name: (_) @receiver
  body: (field_initializer_list (field_initializer field: (field_identifier) @name))) @reference.member
(struct_pattern type: (_) @receiver (field_pattern name: (field_identifier) @name)) @reference.member
