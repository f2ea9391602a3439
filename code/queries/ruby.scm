; Ruby. Methods are captured as functions: the indexer makes those inside a class or module methods.
; Calls such as attr_accessor, require and require_relative look like any other call without text predicates:
; they are left to the reference walk.

(class name: (constant) @name) @definition.class
(class name: (scope_resolution scope: (_) @container name: (constant) @name)) @definition.class
(module name: (constant) @name) @definition.module
(module name: (scope_resolution scope: (_) @container name: (constant) @name)) @definition.module

(method name: (_) @name) @definition.function

; `def self.x` takes the class around it; `def Foo.x` names its owner.
(singleton_method object: [(self) (identifier)] name: (_) @name) @definition.function
(singleton_method object: (constant) @container name: (_) @name) @definition.function

; Constants: assignment to a constant, possibly qualified (`Foo::LIMIT = 5`).
(assignment left: (constant) @name) @definition.constant
(assignment left: (scope_resolution scope: (_) @container name: (constant) @name)) @definition.constant
(operator_assignment left: (constant) @name operator: "||=") @definition.constant

; Parameters of methods, blocks and lambdas, nested destructuring included (block-local variables,
; `|x; tmp|`, are identifiers of block_parameters too and come out as parameters).
(method_parameters (identifier) @name @local.parameter)
(lambda_parameters (identifier) @name @local.parameter)
(block_parameters (identifier) @name @local.parameter)
(destructured_parameter (identifier) @name @local.parameter)
(optional_parameter name: (identifier) @name) @local.parameter
(keyword_parameter name: (identifier) @name) @local.parameter
(splat_parameter name: (identifier) @name) @local.parameter
(hash_splat_parameter name: (identifier) @name) @local.parameter
(block_parameter name: (identifier) @name) @local.parameter

; Local variables: assignments (also multiple assignments and `x ||= v`), rescue => e, for x in ...
(assignment left: (identifier) @name) @local.variable
; Only `x ||= v` may bring a variable in; `x += 1` needs x already.
(operator_assignment left: (identifier) @name operator: "||=") @local.variable
(assignment left: (left_assignment_list [
  (identifier) @name
  (rest_assignment (identifier) @name)
  (destructured_left_assignment (identifier) @name)
  (destructured_left_assignment (rest_assignment (identifier) @name))
])) @local.variable
(rescue variable: (exception_variable (identifier) @name)) @local.variable
(for pattern: [
  (identifier) @name
  (left_assignment_list (identifier) @name)
]) @local.variable

[(block) (do_block) (lambda)] @local.scope
