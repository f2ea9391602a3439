; C++. Declarators nest (pointers, references, qualified names): the common depths are spelled out. Methods
; defined outside their class (`void Foo::bar()`) name their class as @container.

(function_definition
  declarator: [
    (function_declarator declarator: [(identifier) (operator_name)] @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))
  ]) @definition.function

(function_definition
  declarator: [
    (function_declarator declarator: [(field_identifier) (destructor_name) (operator_name)] @name)
    (pointer_declarator declarator: (function_declarator declarator: (field_identifier) @name))
    (reference_declarator (function_declarator declarator: (field_identifier) @name))
  ]) @definition.method

(function_definition
  declarator: [
    (function_declarator declarator: (qualified_identifier scope: (_) @container name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name))
    (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier scope: (_) @container name: (identifier) @name)))
    (reference_declarator (function_declarator declarator: (qualified_identifier scope: (_) @container name: (identifier) @name)))
  ]) @definition.method

; Prototypes at namespace scope, and member function declarations in a class body.
(declaration
  declarator: [
    (function_declarator declarator: [(identifier) (operator_name)] @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))
  ]) @declaration.function

(field_declaration
  declarator: [
    (function_declarator declarator: [(field_identifier) (destructor_name) (operator_name)] @name)
    (pointer_declarator declarator: (function_declarator declarator: (field_identifier) @name))
    (reference_declarator (function_declarator declarator: (field_identifier) @name))
  ]) @declaration.method

; Constructors and destructors declared in a class body are declarations whose declarator is a function.
(declaration
  declarator: (function_declarator declarator: [(destructor_name) (field_identifier)] @name)) @declaration.method

(declaration
  declarator: [
    (identifier) @name
    (init_declarator declarator: (identifier) @name)
    (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (init_declarator declarator: (reference_declarator (identifier) @name))
    (init_declarator declarator: (array_declarator declarator: (identifier) @name))
    (pointer_declarator declarator: (identifier) @name)
    (reference_declarator (identifier) @name)
    (array_declarator declarator: (identifier) @name)
  ]) @definition.variable

(for_range_loop
  declarator: [
    (identifier) @name
    (reference_declarator (identifier) @name)
    (pointer_declarator declarator: (identifier) @name)
    (structured_binding_declarator (identifier) @name)
  ]) @local.variable

(declaration declarator: (structured_binding_declarator (identifier) @name)) @definition.variable
(declaration declarator: (init_declarator declarator: (structured_binding_declarator (identifier) @name))) @definition.variable

(parameter_declaration
  declarator: [
    (identifier) @name
    (pointer_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
    (reference_declarator (identifier) @name)
    (array_declarator declarator: (identifier) @name)
  ]) @local.parameter

(optional_parameter_declaration
  declarator: [
    (identifier) @name
    (pointer_declarator declarator: (identifier) @name)
    (reference_declarator (identifier) @name)
  ]) @local.parameter

(lambda_expression) @local.scope

(class_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.class
(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.struct
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.union
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @definition.enum
(enumerator name: (identifier) @name) @definition.enumerator
(namespace_definition name: (namespace_identifier) @name) @definition.namespace
(concept_definition name: (identifier) @name) @definition.type

(alias_declaration name: (type_identifier) @name) @definition.type
(type_definition
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
  ]) @definition.type

(field_declaration
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (field_identifier) @name))
    (reference_declarator (field_identifier) @name)
    (array_declarator declarator: (field_identifier) @name)
  ]) @definition.field

; A body after a macro call at the top of a file (TEST_IMPL(name) { ... }) is a function the parser cannot see:
; its declarations are still locals.
(translation_unit (compound_statement) @local.scope)
(declaration_list (compound_statement) @local.scope)

(preproc_def name: (identifier) @name) @definition.macro
(preproc_function_def name: (identifier) @name) @definition.macro

(preproc_include path: [(string_literal) (system_lib_string)] @import.path) @import
