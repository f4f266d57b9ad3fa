// Command webhooks-config configures where Twilio sends Conversations
// events, at the three levels the API has:
//
//   - the account (POST /v1/Configuration/Webhooks): pre- and post-event
//     webhooks for conversations of every service, or routing to Flex;
//   - a Conversation Service (POST /v1/Services/{sid}/Configuration/Webhooks);
//   - one conversation (POST /v1/Conversations/{sid}/Webhooks): up to five
//     webhooks, Studio flows or keyword triggers of its own.
//
// Run with no arguments it runs against the in-memory fake of package
// conversationstest and needs no account or network:
//
//	go run ./examples/webhooks-config
//
// With -live it runs against Twilio with the credentials in the
// environment. It then creates a Conversation Service and a conversation
// of its own, configures them, and deletes them at the end. The account-
// level webhooks are changed only with -account too, since they apply to
// the whole account and are not restored:
//
//	TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... go run ./examples/webhooks-config \
//	    -live -pre https://hooks.example.com/pre -post https://hooks.example.com/post
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
)

type config struct {
	live    bool
	account bool
	pre     string
	post    string
	flowSID string
}

func main() {
	cfg := config{}
	flag.BoolVar(&cfg.live, "live", false, "run against Twilio with the credentials in the environment instead of the in-memory fake")
	flag.BoolVar(&cfg.account, "account", false, "with -live: also change the account-level webhooks (not restored)")
	flag.StringVar(&cfg.pre, "pre", "https://hooks.example.com/conversations/pre", "pre-event webhook URL")
	flag.StringVar(&cfg.post, "post", "https://hooks.example.com/conversations/post", "post-event webhook URL")
	flag.StringVar(&cfg.flowSID, "flow", "FW00000000000000000000000000000000", "Studio Flow SID for the conversation's studio webhook (FW...)")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "webhooks-config:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	var c *conversations.Client
	if cfg.live {
		var err error
		if c, err = conversations.NewClientFromEnv(); err != nil {
			return err
		}
		fmt.Fprintln(out, "Running against Twilio (-live).")
	} else {
		srv := conversationstest.New()
		defer srv.Close()
		c = srv.Client()
		cfg.account = true
		fmt.Fprintf(out, "Running against the in-memory fake at %s (use -live for Twilio).\n", srv.URL)
	}
	return configure(ctx, out, c, cfg)
}

func configure(ctx context.Context, out io.Writer, c *conversations.Client, cfg config) (err error) {
	say := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }

	// Account level: pre-event hooks can veto or rewrite an action (Twilio
	// waits for them); post-event hooks are told afterwards.
	if cfg.account {
		wh, err := c.Configuration.UpdateWebhook(ctx, &conversations.WebhookConfigurationUpdateParams{
			PreWebhookURL:  conversations.Ptr(cfg.pre),
			PostWebhookURL: conversations.Ptr(cfg.post),
			Method:         conversations.Ptr(conversations.WebhookMethodPOST),
			Filters:        []string{"onMessageAdd", "onMessageAdded", "onConversationAdded", "onParticipantAdded"},
			Target:         conversations.Ptr(conversations.WebhookConfigurationTargetWebhook),
		})
		if err != nil {
			return fmt.Errorf("account webhooks: %w", err)
		}
		say("Account webhooks: %s pre=%s post=%s target=%s", wh.Method, wh.PreWebhookURL, wh.PostWebhookURL, wh.Target)
		say("  filters: %s", strings.Join(wh.Filters, ", "))
	} else {
		wh, err := c.Configuration.FetchWebhook(ctx)
		if err != nil {
			return fmt.Errorf("account webhooks: %w", err)
		}
		say("Account webhooks left as they are (pass -account to change them): %s pre=%q post=%q", wh.Method, wh.PreWebhookURL, wh.PostWebhookURL)
	}

	// Service level: a service of our own, deleted at the end.
	svc, err := c.Services.Create(ctx, &conversations.ChatServiceCreateParams{FriendlyName: "webhooks-config example"})
	if err != nil {
		return fmt.Errorf("creating a service: %w", err)
	}
	defer func() {
		if derr := c.Services.Delete(context.WithoutCancel(ctx), svc.SID); derr != nil {
			err = errors.Join(err, derr)
			return
		}
		say("Deleted service %s", svc.SID)
	}()
	s := c.Service(svc.SID)
	swh, err := s.Configuration.UpdateWebhook(ctx, &conversations.WebhookConfigurationUpdateParams{
		PostWebhookURL: conversations.Ptr(cfg.post),
		Method:         conversations.Ptr(conversations.WebhookMethodPOST),
		Filters:        []string{"onMessageAdded", "onDeliveryUpdated", "onConversationStateUpdated"},
	})
	if err != nil {
		return fmt.Errorf("service webhooks: %w", err)
	}
	say("Service %s webhooks: %s post=%s filters=%s", svc.SID, swh.Method, swh.PostWebhookURL, strings.Join(swh.Filters, ","))

	// Conversation level: a webhook, a Studio flow and keyword triggers.
	conv, err := s.Conversations.Create(ctx, &conversations.ConversationCreateParams{FriendlyName: conversations.Ptr("VIP support")})
	if err != nil {
		return fmt.Errorf("creating a conversation: %w", err)
	}
	hooks := []*conversations.WebhookCreateParams{
		{Target: conversations.WebhookTargetWebhook, ConfigurationURL: conversations.Ptr(cfg.post + "/vip"),
			ConfigurationMethod: conversations.Ptr(conversations.WebhookMethodPOST), ConfigurationFilters: []string{"onMessageAdded"}},
		{Target: conversations.WebhookTargetStudio, ConfigurationFlowSID: conversations.Ptr(cfg.flowSID)},
		{Target: conversations.WebhookTargetTrigger, ConfigurationURL: conversations.Ptr(cfg.post + "/keywords"),
			ConfigurationMethod: conversations.Ptr(conversations.WebhookMethodPOST), ConfigurationTriggers: []string{"help", "agent"}},
	}
	for _, p := range hooks {
		if _, err := s.Webhooks.Create(ctx, conv.SID, p); err != nil {
			return fmt.Errorf("adding a %s webhook: %w", p.Target, err)
		}
	}
	say("Conversation %s webhooks:", conv.SID)
	for w, err := range s.Webhooks.All(ctx, conv.SID, nil) {
		if err != nil {
			return err
		}
		cfgs := w.Configuration
		say("  %s %-7s url=%q method=%q filters=%v triggers=%v flow=%q", w.SID, w.Target, cfgs.URL, cfgs.Method, cfgs.Filters, cfgs.Triggers, cfgs.FlowSID)
	}
	return nil
}
