; PHP (the grammar that allows HTML around <?php). A variable's name is the `name` inside its variable_name, so
; that `$total` defines and uses `total`, as `$this->total` does. `define('X', ...)` needs a text predicate
; to be told from other calls and is left to the reference walk.

; A namespace takes the last segment of its name (`App\Billing` is Billing); the others remain references.
(namespace_definition name: (namespace_name (name) @name .)) @definition.namespace

(class_declaration name: (name) @name) @definition.class
(interface_declaration name: (name) @name) @definition.interface
(trait_declaration name: (name) @name) @definition.trait
(enum_declaration name: (name) @name) @definition.enum
(enum_case name: (name) @name) @definition.enumerator

(function_definition name: (name) @name) @definition.function
; A method without a body (interfaces, abstract methods) is a declaration.
(method_declaration name: (name) @name body: (compound_statement)) @definition.method
(method_declaration !body name: (name) @name) @declaration.method

(property_declaration (property_element name: (variable_name (name) @name))) @definition.property
; A promoted constructor parameter is a property of the class.
(property_promotion_parameter name: [
  (variable_name (name) @name)
  (by_ref (variable_name (name) @name))
]) @definition.property

; `const X = 1;` at the top of a file or in a class, interface or enum.
(const_declaration (const_element (name) @name)) @definition.constant

(simple_parameter name: (variable_name (name) @name)) @local.parameter
(variadic_parameter name: (variable_name (name) @name)) @local.parameter
; `function () use ($x)`: the closure's own copy of $x.
(anonymous_function_use_clause [
  (variable_name (name) @name)
  (by_ref (variable_name (name) @name))
]) @local.parameter

; Local variables: assignments ($x = ..., [$a, $b] = ..., list(...) = ..., $x = &$y), foreach targets,
; catch variables and static variables. At the top of a file they are global variables.
(assignment_expression left: (variable_name (name) @name)) @local.variable
(reference_assignment_expression left: (variable_name (name) @name)) @local.variable
(assignment_expression left: (list_literal (variable_name (name) @name))) @local.variable
(assignment_expression left: (list_literal (list_literal (variable_name (name) @name)))) @local.variable
(foreach_statement . (_) . [
  (variable_name (name) @name)
  (by_ref (variable_name (name) @name))
]) @local.variable
(foreach_statement [
  (pair (variable_name (name) @name))
  (pair (by_ref (variable_name (name) @name)))
  (pair (list_literal (variable_name (name) @name)))
  (list_literal (variable_name (name) @name))
]) @local.variable
(catch_clause name: (variable_name (name) @name)) @local.variable
(static_variable_declaration name: (variable_name (name) @name)) @local.variable

[(anonymous_function) (arrow_function)] @local.scope

; Imports: `use A\B\C;`, `use A\B\C as D;` and `use function A\f;` import the qualified name; a group
; `use A\B\{C, D};` imports its prefix A\B once. The imported name is an import reference.
(namespace_use_declaration (namespace_use_clause . [(qualified_name) (name)] @import.path)) @import
(namespace_use_declaration (namespace_name) @import.path body: (namespace_use_group)) @import
(namespace_use_clause . (qualified_name (name) @name)) @reference.import
(namespace_use_clause . (name) @name) @reference.import

; require/include of a literal path, also `__DIR__ . '/x.php'` and require('x.php').
(include_expression [
    (string) @import.path
    (encapsed_string . (string_content) .) @import.path
    (parenthesized_expression [(string) (encapsed_string . (string_content) .)] @import.path)
    (binary_expression right: [(string) (encapsed_string . (string_content) .)] @import.path)
  ]) @import
(include_once_expression [
    (string) @import.path
    (encapsed_string . (string_content) .) @import.path
    (parenthesized_expression [(string) (encapsed_string . (string_content) .)] @import.path)
    (binary_expression right: [(string) (encapsed_string . (string_content) .)] @import.path)
  ]) @import
(require_expression [
    (string) @import.path
    (encapsed_string . (string_content) .) @import.path
    (parenthesized_expression [(string) (encapsed_string . (string_content) .)] @import.path)
    (binary_expression right: [(string) (encapsed_string . (string_content) .)] @import.path)
  ]) @import
(require_once_expression [
    (string) @import.path
    (encapsed_string . (string_content) .) @import.path
    (parenthesized_expression [(string) (encapsed_string . (string_content) .)] @import.path)
    (binary_expression right: [(string) (encapsed_string . (string_content) .)] @import.path)
  ]) @import

; Where the reference tables cannot tell: types, `new X`, namespaced calls, `$closure()`, `X::Y`, `X::$y`, `?->`.
(named_type [(name) @name (qualified_name (name) @name)]) @reference.type
(base_clause [(name) @name (qualified_name (name) @name)]) @reference.type
(class_interface_clause [(name) @name (qualified_name (name) @name)]) @reference.type
(use_declaration [(name) @name (qualified_name (name) @name)]) @reference.type
(binary_expression operator: "instanceof" right: [(name) @name (qualified_name (name) @name)]) @reference.type
(object_creation_expression [(name) @name (qualified_name (name) @name)]) @reference.call
(function_call_expression function: (qualified_name (name) @name)) @reference.call
(function_call_expression function: (variable_name (name) @name)) @reference.call
(scoped_call_expression scope: [(name) @name (qualified_name (name) @name)]) @reference.type
(scoped_property_access_expression scope: [(name) @name (qualified_name (name) @name)]) @reference.type
(scoped_property_access_expression scope: (_) @receiver name: (variable_name (name) @name)) @reference.member
(class_constant_access_expression . [(name) @name (qualified_name (name) @name)] (name) .) @reference.type
(class_constant_access_expression . (_) @receiver (name) @name .) @reference.member
(nullsafe_member_access_expression object: (_) @receiver name: (name) @name) @reference.member
(nullsafe_member_call_expression object: (_) @receiver name: (name) @name) @reference.call
