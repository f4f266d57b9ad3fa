module github.com/conversations-go/conversations/conversationsrate

go 1.24.0

replace github.com/conversations-go/conversations => ../

require (
	github.com/conversations-go/conversations v0.0.0-00010101000000-000000000000
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
	golang.org/x/time v0.14.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
