/* The JSON API under /api/v1/ (documented in docs/api.md). Handlers follow http_handler;
 * every reply is written with the json_w writer; errors become {"error","field","message"}
 * in http/respond.c. */
#ifndef GUILD_API_API_H
#define GUILD_API_API_H

#include "../http/http.h"

int api_items_list(struct http_request *rq);
int api_item_get(struct http_request *rq);
int api_item_create(struct http_request *rq);
int api_item_vote(struct http_request *rq);
int api_item_comment(struct http_request *rq);
int api_item_why(struct http_request *rq);
int api_comment_vote(struct http_request *rq);
int api_user_get(struct http_request *rq);
int api_item_flag(struct http_request *rq);
int api_comment_flag(struct http_request *rq);
int api_modlog(struct http_request *rq);
int api_mod_queue(struct http_request *rq);
int api_mod_act(struct http_request *rq);
/* Relationships (social.c) */
int api_user_follow(struct http_request *rq);
int api_blog_follow(struct http_request *rq);
int api_item_reshare(struct http_request *rq);
int api_user_connection(struct http_request *rq);
int api_user_endorse(struct http_request *rq);
int api_timeline(struct http_request *rq);
int api_suggestions(struct http_request *rq);
int api_suggestion_dismiss(struct http_request *rq);
int api_notifications(struct http_request *rq);
int api_notifications_read(struct http_request *rq);
int api_message_send(struct http_request *rq);
int api_messages(struct http_request *rq);
int api_user_mute(struct http_request *rq);
/* Groups, questions, ideas and competitions (groups.c, answers.c, compete.c) */
int api_groups_list(struct http_request *rq);
int api_group_create(struct http_request *rq);
int api_group_get(struct http_request *rq);
int api_group_ideas(struct http_request *rq);
int api_group_join(struct http_request *rq);
int api_group_member(struct http_request *rq);
int api_item_answer(struct http_request *rq);
int api_answer_vote(struct http_request *rq);
int api_item_accept(struct http_request *rq);
int api_item_status(struct http_request *rq);
int api_competition_create(struct http_request *rq);
int api_competition_get(struct http_request *rq);
int api_competition_score(struct http_request *rq);
/* Reader signals and the member's own data (signals.c, privacy.c). */
int api_item_save(struct http_request *rq);
int api_saved(struct http_request *rq);
int api_item_stats(struct http_request *rq);
int api_consent(struct http_request *rq);
int api_consents(struct http_request *rq);
int api_leads_csv(struct http_request *rq);
int api_webhook_create(struct http_request *rq);
int api_webhook_deliveries(struct http_request *rq);
int api_me_export(struct http_request *rq);
int api_me_delete(struct http_request *rq);
int api_subscribe(struct http_request *rq);
/* Operating endpoints (ops.c): plain text, outside /api/v1. */
int api_healthz(struct http_request *rq);
int api_metrics(struct http_request *rq);

#endif
