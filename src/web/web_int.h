/* Internal to src/web: HTML writing helpers that escape by default, and the page frame. */
#ifndef GUILD_WEB_INT_H
#define GUILD_WEB_INT_H

#include "../core/buf.h"
#include "../core/esc.h"
#include "../store/store.h"
#include "web.h"

/* Trusted markup: string literals only (the "" s "" makes anything else a compile error). */
#define HTML_LIT(b, s) buf_append((b), "" s "", sizeof(s) - 1)

#define WEB_PAGE_SIZE 30

void html_text(struct buf *b, const char *s);
void html_attr(struct buf *b, const char *s);
void html_num(struct buf *b, long long v);
/* href="/prefix<url-encoded part>" (the attribute with its quotes). */
void html_href(struct buf *b, const char *prefix, const char *part);
/* "ana, bo": each handle a link to the member's profile, separated by commas. */
void html_handle_links(struct buf *b, char *const *handles, size_t n);
/* <a href="/u/HANDLE">HANDLE</a>, or "[deleted member]" for a deleted account. */
void html_member_link(struct buf *b, const char *handle);
void html_age(struct buf *b, int64_t then, int64_t now);
/* Hidden CSRF input for a form on this page. */
void html_csrf(struct http_request *rq);
/* A labelled <input> with id and name `id`; value is escaped (NULL = empty); autocomplete and
 * hint may be NULL. */
void html_field(struct buf *b, const char *id, const char *label, const char *type,
                const char *value, const char *autocomplete, bool required, const char *hint);
/* A same-site path to return to after a form (its "back" field, or ?back= on a GET):
 * fallback when none was sent, "/" when what was sent is not a path of this site. */
const char *web_back(struct http_request *rq, const char *fallback);
/* html_field with a maxlength (the browser stops typing at the rules' limit). */
void html_field_max(struct buf *b, const char *id, const char *label, const char *type,
                    const char *value, const char *autocomplete, bool required,
                    const char *hint, int maxlength);
/* Optional error box; nothing when message is NULL. */
void html_error_box(struct buf *b, const char *message);

/* <!doctype html> ... <main>; title is text. */
void page_begin(struct http_request *rq, const char *title);
void page_end(struct http_request *rq);

/* Whether an item's title leads out to its address (/go/ID): links do; blogs, questions and
 * ideas have their page here. */
bool web_item_links_out(const struct store_item *it);
/* Where an item is: its domain, or for a group's question or idea its kind (and status) and
 * group. */
void html_item_where(struct buf *b, const struct store_item *it);
/* One row of a link or blog list (vote controls, title, meta). */
void html_item_row(struct http_request *rq, const struct store_item *it);
/* The item's vote controls (up, withdraw, down with a reason). */
void html_item_vote_box(struct http_request *rq, const struct store_item *it, bool full);
/* Whether the signed-in member is still new (no downvotes, flags or invitations yet), and
 * the line saying when they will be able to. */
bool web_member_is_new(struct http_request *rq);
void html_new_member_note(struct http_request *rq);
/* <select name="reason"> with the downvote reasons. */
void html_reason_select(struct buf *b);

/* Moderation (moderation.c): a "flag" disclosure with the reasons for an item ("i") or a
 * comment ("c"); the notice on a queued, removed or locked item. */
void html_flag_form(struct http_request *rq, const char *kind, int64_t id);
void html_item_mod_notice(struct http_request *rq, const struct store_item *it);
/* Atom feeds (atom.c). Text is escaped there; summary is plain text. */
const char *web_base_url(struct http_request *rq);
void atom_begin(struct http_request *rq, const char *title, const char *self, int64_t updated);
void atom_entry(struct http_request *rq, const char *id, const char *title, const char *link,
                const char *replies, const char *author, int64_t updated, const char *summary);
void atom_end(struct http_request *rq);
/* Monitoring on the blog's item page (river.c): its recent entries and fetch status. */
void html_blog_entries(struct http_request *rq, const struct store_item *it);

/* The sentence for a refusal from the rules layer: its own, or, when the store refused on
 * its own (a row referred to is gone, a value the schema does not allow), a general one. */
struct rules_error;
const char *web_rules_message(const struct rules_error *e);
/* The settings page with an error or a notice (either may be NULL), for actions on it. */
int web_settings_notice(struct http_request *rq, const char *error, const char *notice);
#define WEB_CONFIRM_SUBJECT "Confirm your email address"
#define WEB_CONFIRM_PER_HOUR 3
/* The settings page's API tokens with their revoke buttons (tokens.c). */
int html_settings_tokens(struct http_request *rq) __attribute__((warn_unused_result));
/* The settings page's digest switch and OPML forms (columns.c). */
void html_settings_monitoring(struct http_request *rq);
/* Queues the mail with a member's email confirmation link (failures show in Settings). */
void web_send_confirmation(struct http_request *rq, int64_t user_id, const char *email);

/* Shared parsing of ?p= pages. */
int web_page_number(struct http_request *rq);
/* Sets a 4xx/5xx status for rc, to re-render a form with its message. */
void web_form_status(struct http_request *rq, int rc);
/* True when the signed-in member may vote on it (not own, not own organisation). */
bool web_can_vote_item(const struct http_request *rq, const struct store_item *it);

/* The ties on a member's profile (counts, influence, followers, connections, endorsements)
 * and, for another signed-in member, the buttons to follow, connect and endorse (social.c). */
int html_profile_ties(struct http_request *rq, const struct store_user *u)
    __attribute__((warn_unused_result));
/* The settings page's "who may write to me" switch (messages.c). */
void html_settings_messages(struct http_request *rq);
/* On an item's page, for a signed-in member: follow the blog (blogs), reshare. */
void html_item_social(struct http_request *rq, const struct store_item *it);

/* The moderators' "open a competition" form on a group's page (compete.c). */
void html_competition_form(struct http_request *rq, const char *slug);
/* The member's idea votes left in a portal (or that only customers vote there). */
struct rules_group_role;
void html_budget_line(struct http_request *rq, const struct store_group *g,
                      const struct rules_group_role *r, int held);
/* A vote form's value field: 1, -1 or 0; ERR_INVAL (http_fail set) otherwise. */
int web_vote_value(struct http_request *rq, int *value) __attribute__((warn_unused_result));
/* On a question's page: its answers in order with their vote buttons, the asker's Accept
 * buttons and the answer form (answers.c). */
int html_question_answers(struct http_request *rq, const struct store_item *it)
    __attribute__((warn_unused_result));
/* On an idea's page: its status, its history with the public reasons, the voter's budget, and
 * for the portal's moderators the form that changes the status (answers.c). */
int html_idea_status(struct http_request *rq, const struct store_item *it)
    __attribute__((warn_unused_result));

/* Reader signals (signals.c): the "Save for later" / "Unsave" button, and for whoever may
 * see them a link to the item's statistics. */
void html_save_button(struct http_request *rq, const struct store_item *it);
/* An item's or entry's figures (app_stats): one row per figure, a column for all time and one
 * per week, in a region that scrolls sideways on a phone. */
struct app_stats_window;
void html_stats_table(struct http_request *rq, const char *caption,
                      const struct app_stats_window *all, const struct app_stats_window *weeks);

#endif
