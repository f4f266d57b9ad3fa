package conversations

import "reflect"

// For the black-box tests of package conversations_test: the interface of
// the params field types that write their own form values, and a way to call
// it, so that the form encoder's reference can use them.
var (
	FormValuerType = reflect.TypeFor[formValuer]()
	FormValues     = func(v any) ([]string, error) { return v.(formValuer).formValues() }
)
