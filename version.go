package conversations

// Version is the SDK's version. It is sent in the User-Agent header.
const Version = "0.1.0"
