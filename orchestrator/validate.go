package orchestrator

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/conversations-go/conversations"
)

// Limits from the v2 spec, checked before anything is sent.
const (
	maxDisplayName            = 32  // displayName maxLength
	maxDescription            = 512 // configuration description maxLength
	maxConfigStatusCallbacks  = 2   // statusCallbacks maxItems of the configuration writes
	maxConversationCallbacks  = 20  // configuration.statusCallbacks maxItems of PatchConversationById
	maxIntelligenceConfigs    = 5   // intelligenceConfigurationIds maxItems
	maxInitialParticipants    = 50  // participants maxItems of CreateConversationWithConfig
	maxMetadataEntries        = 8   // metadata maxProperties
	maxMetadataKey            = 128 // metadata key length
	maxMetadataValue          = 512 // metadata value maxLength
	minPageSize, maxPageSize  = 1, 1000
	idempotencyKeyPatternDesc = "a UUID (8-4-4-4-12 hexadecimal digits)"
)

func invalid(param, format string, args ...any) error {
	return &conversations.ValidationError{Param: param, Reason: fmt.Sprintf(format, args...)}
}

func required[S ~string](param string, v S) error {
	if v == "" {
		return invalid(param, "is required")
	}
	return nil
}

// checkDisplayName applies displayName's maxLength 32 and pattern
// ^[a-zA-Z0-9-_ ]+$.
func checkDisplayName(param, v string) error {
	if v == "" {
		return invalid(param, "is required")
	}
	if utf8.RuneCountInString(v) > maxDisplayName {
		return invalid(param, "is longer than %d characters", maxDisplayName)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ' ') {
			return invalid(param, "may hold only letters, digits, '-', '_' and spaces (pattern ^[a-zA-Z0-9-_ ]+$)")
		}
	}
	return nil
}

func checkMaxLen(param, v string, n int) error {
	if utf8.RuneCountInString(v) > n {
		return invalid(param, "is longer than %d characters", n)
	}
	return nil
}

func checkGrouping(param string, v GroupingType, req bool) error {
	if v == "" && !req {
		return nil
	}
	if !v.valid() {
		return invalid(param, "must be GROUP_BY_PROFILE, GROUP_BY_PARTICIPANT_ADDRESSES or GROUP_BY_PARTICIPANT_ADDRESSES_AND_CHANNEL_TYPE, not %q", v)
	}
	return nil
}

func checkChannel(param string, v Channel) error {
	if !v.valid() {
		if v == "" {
			return invalid(param, "is required")
		}
		return invalid(param, "must be VOICE, SMS, RCS, WHATSAPP, CHAT or VIDEO, not %q", v)
	}
	return nil
}

func checkCallbacks(param string, cbs []StatusCallback, max int) error {
	if len(cbs) > max {
		return invalid(param, "takes at most %d status callbacks, not %d", max, len(cbs))
	}
	for i, cb := range cbs {
		p := fmt.Sprintf("%s[%d]", param, i)
		if cb.URL == "" {
			return invalid(p+".url", "is required")
		}
		if !strings.Contains(cb.URL, "://") {
			return invalid(p+".url", "must be an absolute URL")
		}
		if cb.Method != "" && !cb.Method.valid() {
			return invalid(p+".method", "must be POST or GET, not %q", cb.Method)
		}
	}
	return nil
}

func checkIntelligence(param string, ids []string) error {
	if len(ids) > maxIntelligenceConfigs {
		return invalid(param, "takes at most %d intelligence configurations, not %d", maxIntelligenceConfigs, len(ids))
	}
	return nil
}

func checkBridge(param string, b *ConversationsV1Bridge) error {
	if b == nil {
		return nil
	}
	s := b.ServiceID
	ok := len(s) == 34 && s[:2] == "IS"
	for i := 2; ok && i < len(s); i++ {
		ok = s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f'
	}
	if !ok {
		return invalid(param+".serviceId", "must be a Conversation Service SID: IS and 32 lowercase hexadecimal digits")
	}
	return nil
}

func checkChannelSetting(param string, s *ChannelSetting) error {
	if s.StatusTimeouts != nil {
		if s.StatusTimeouts.Inactive < 0 {
			return invalid(param+".statusTimeouts.inactive", "must be at least 1 (minutes)")
		}
		if s.StatusTimeouts.Closed < 0 {
			return invalid(param+".statusTimeouts.closed", "must be at least 1 (minutes)")
		}
	}
	for i, r := range s.CaptureRules {
		p := fmt.Sprintf("%s.captureRules[%d]", param, i)
		if err := required(p+".from", r.From); err != nil {
			return err
		}
		if err := required(p+".to", r.To); err != nil {
			return err
		}
	}
	return nil
}

func checkSettingsKey(param string, k Channel) error {
	if !k.validSettingsKey() {
		return invalid(param, "has key %q: keys must be VOICE, SMS, RCS, WHATSAPP or CHAT", k)
	}
	return nil
}

func checkChannelSettings(param string, m map[Channel]ChannelSetting) error {
	for k, s := range m {
		if err := checkSettingsKey(param, k); err != nil {
			return err
		}
		if err := checkChannelSetting(param+"."+string(k), &s); err != nil {
			return err
		}
	}
	return nil
}

func metadataKeyOK(k string) bool {
	if k == "" || len(k) > maxMetadataKey {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func checkMetadataKey(param, k string) error {
	if !metadataKeyOK(k) {
		return invalid(param, "has key %q: keys are 1 to %d letters, digits, '.', '_' or '-'", k, maxMetadataKey)
	}
	return nil
}

func checkMetadata(param string, m map[string]string) error {
	if len(m) > maxMetadataEntries {
		return invalid(param, "takes at most %d entries, not %d", maxMetadataEntries, len(m))
	}
	for k, v := range m {
		if err := checkMetadataKey(param, k); err != nil {
			return err
		}
		if utf8.RuneCountInString(v) > maxMetadataValue {
			// The parameter's name is built only on failure: a valid
			// call allocates nothing here.
			return checkMaxLen(param+"."+k, v, maxMetadataValue)
		}
	}
	return nil
}

func checkAddresses(param string, as []Address) error {
	for i, a := range as {
		p := fmt.Sprintf("%s[%d]", param, i)
		if err := checkChannel(p+".channel", a.Channel); err != nil {
			return err
		}
		if err := required(p+".address", a.Address); err != nil {
			return err
		}
	}
	return nil
}

func checkParticipantType(param string, v ParticipantType) error {
	if v != "" && !v.valid() {
		return invalid(param, "must be HUMAN_AGENT, CUSTOMER, AI_AGENT, AGENT or UNKNOWN, not %q", v)
	}
	return nil
}

func checkPageSize(n int) error {
	if n != 0 && (n < minPageSize || n > maxPageSize) {
		return invalid("pageSize", "must be between %d and %d, not %d", minPageSize, maxPageSize, n)
	}
	return nil
}

// checkIdempotencyKey applies the spec's pattern for Idempotency-Key.
func checkIdempotencyKey(k string) error {
	if len(k) != 36 {
		return invalid("Idempotency-Key", "must be %s", idempotencyKeyPatternDesc)
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return invalid("Idempotency-Key", "must be %s", idempotencyKeyPatternDesc)
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return invalid("Idempotency-Key", "must be %s", idempotencyKeyPatternDesc)
			}
		}
	}
	return nil
}
