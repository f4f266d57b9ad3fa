package conversations

// validator is implemented by params structs with required fields; newCall
// runs it before anything is sent.
type validator interface{ validate() error }
