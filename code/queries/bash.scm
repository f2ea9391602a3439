; Bash. Every assignment at the top level of a script (also in a top-level if, loop, case, list or { }) defines a
; global variable, as do export/readonly/declare there. Inside a function only `local`, `declare` and `typeset`
; make a variable local; a plain assignment there sets a global and is left a reference, since a query cannot
; tell whether the script assigns that name at the top as well. `source FILE` and `. FILE` are commands like any
; other (telling them apart needs a text predicate): they are not imports.

(function_definition name: (word) @name) @definition.function

; Top-level assignments (`X=1`, `A=1 B=2`, `arr[0]=x`, `export X=1`, `readonly X=1`, `declare X=1`).
(program [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
])
(program (list [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
]))
(program (compound_statement [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
]))
(program (if_statement [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
]))
(program (if_statement (elif_clause [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
])))
(program (if_statement (else_clause [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
])))
(program (for_statement body: (do_group [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
])))
(program (while_statement body: (do_group [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
])))
(program (c_style_for_statement body: (do_group [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
])))
(program (case_statement (case_item [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)]) @definition.variable
  (variable_assignments (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])) @definition.variable
  (declaration_command (variable_assignment name: (variable_name) @name)) @definition.variable
])))

; `local x=1 y`, `declare -a list=()`, `typeset n`: locals in a function, variables at the top of a script.
(declaration_command ["local" "declare" "typeset"] [
  (variable_assignment name: [(variable_name) @name (subscript name: (variable_name) @name)])
  (variable_name) @name
]) @local.variable

; Loop variables (global in bash, but in practice the loop's own).
(for_statement variable: (variable_name) @name) @local.variable
(c_style_for_statement initializer: (variable_assignment name: (variable_name) @name)) @local.variable
