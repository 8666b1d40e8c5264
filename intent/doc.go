// Package intent reads what a customer means from what they type: data
// rights requests (DSR-1, DSR-2, DSR-4, CONS-5), questions about whether
// they are talking to a bot (DISC-4), requests for a person, sensitive
// topics and frustration (HUM-2), small talk, and a bare "yes".
//
// A message is tokenised once by Read; every phrase set was compiled at
// start-up into token-sequence matchers over the same tokenizer, so a
// phrase and a message are always normalised alike and no regular
// expression runs per message.
package intent
