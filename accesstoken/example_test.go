package accesstoken_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/conversations-go/conversations/accesstoken"
)

// Mint a token for the Conversations SDKs. The clock is fixed so that the
// output is reproducible; in production leave Clock out.
func Example() {
	const (
		accountSID   = "AC0123456789abcdef0123456789abcdef"
		apiKeySID    = "SK0123456789abcdef0123456789abcdef"
		apiKeySecret = "made-up-api-key-secret"
		serviceSID   = "IS0123456789abcdef0123456789abcdef"
	)
	issued := time.Date(2024, 1, 2, 15, 4, 5, 0, time.UTC)

	token, err := accesstoken.New(accountSID, apiKeySID, apiKeySecret).
		Identity("alice@example.com").
		ChatGrant(accesstoken.ChatGrant{ServiceSID: serviceSID}).
		TTL(2 * time.Hour).
		Region("us1"). // the account's home region, sent as the twr header
		Clock(func() time.Time { return issued }).
		JWT()
	if err != nil {
		panic(err)
	}
	fmt.Println(token)

	parsed, err := accesstoken.Parse(token, apiKeySecret)
	if err != nil {
		panic(err)
	}
	header, _ := json.Marshal(parsed.Header)
	fmt.Println(string(header))
	claims, _ := json.MarshalIndent(parsed.Claims, "", "  ")
	fmt.Println(string(claims))
	// Output:
	// eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHdyIjoidXMxIn0.eyJqdGkiOiJTSzAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmLTE3MDQyMDc4NDUiLCJpc3MiOiJTSzAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmIiwic3ViIjoiQUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiIsImlhdCI6MTcwNDIwNzg0NSwibmJmIjoxNzA0MjA3ODQ1LCJleHAiOjE3MDQyMTUwNDUsImdyYW50cyI6eyJpZGVudGl0eSI6ImFsaWNlQGV4YW1wbGUuY29tIiwiY2hhdCI6eyJzZXJ2aWNlX3NpZCI6IklTMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYifX19.1oyLyR4-VfZ0RHVLsWBNjJkiLy7hPVyx9PHnEdwjsco
	// {"typ":"JWT","alg":"HS256","cty":"twilio-fpa;v=1","twr":"us1"}
	// {
	//   "jti": "SK0123456789abcdef0123456789abcdef-1704207845",
	//   "iss": "SK0123456789abcdef0123456789abcdef",
	//   "sub": "AC0123456789abcdef0123456789abcdef",
	//   "iat": 1704207845,
	//   "nbf": 1704207845,
	//   "exp": 1704215045,
	//   "grants": {
	//     "identity": "alice@example.com",
	//     "chat": {
	//       "service_sid": "IS0123456789abcdef0123456789abcdef"
	//     }
	//   }
	// }
}

func ExampleBuilder_Claims() {
	_, err := accesstoken.New("AC0123456789abcdef0123456789abcdef", "SK0123456789abcdef0123456789abcdef", "secret").
		Identity("alice").
		ChatGrant(accesstoken.ChatGrant{ServiceSID: "IS0123456789abcdef0123456789abcdef"}).
		TTL(48 * time.Hour).
		Claims()
	fmt.Println(err)
	// Output: accesstoken: invalid TTL: 48h0m0s (must be between 1s and 24h0m0s)
}
