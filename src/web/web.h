/* Web pages: one handler per page or form action, each rendering HTML5 through the escaping
 * helpers in html.c. Every page works without JavaScript. Handlers follow http_handler. */
#ifndef GUILD_WEB_WEB_H
#define GUILD_WEB_WEB_H

#include "../http/http.h"

int web_front(struct http_request *rq);
int web_new(struct http_request *rq);
int web_directory(struct http_request *rq);
int web_atom_front(struct http_request *rq);
int web_atom_directory(struct http_request *rq);
int web_item(struct http_request *rq);
int web_go(struct http_request *rq);
int web_why(struct http_request *rq);
int web_item_vote(struct http_request *rq);
int web_comment_post(struct http_request *rq);
int web_comment_vote(struct http_request *rq);
int web_comment_edit_form(struct http_request *rq);
int web_comment_edit(struct http_request *rq);
int web_comment_delete(struct http_request *rq);
int web_submit_form(struct http_request *rq);
int web_submit(struct http_request *rq);
int web_user(struct http_request *rq);
/* Relationships (social.c, home.c, people.c) */
int web_user_follow(struct http_request *rq);
int web_user_connection(struct http_request *rq);
int web_user_endorse(struct http_request *rq);
int web_blog_follow(struct http_request *rq);
int web_item_reshare(struct http_request *rq);
int web_home(struct http_request *rq);
/* Groups (groups.c, portal.c, answers.c, compete.c) */
int web_groups(struct http_request *rq);
int web_group_new(struct http_request *rq);
int web_group_create(struct http_request *rq);
int web_group(struct http_request *rq);
int web_group_ideas(struct http_request *rq);
int web_group_join(struct http_request *rq);
int web_group_member(struct http_request *rq);
int web_group_post(struct http_request *rq);
int web_answer_post(struct http_request *rq);
int web_answer_vote(struct http_request *rq);
int web_item_accept(struct http_request *rq);
int web_item_status(struct http_request *rq);
int web_competition_create(struct http_request *rq);
int web_competition(struct http_request *rq);
int web_competition_enter(struct http_request *rq);
int web_competition_score(struct http_request *rq);
int web_people(struct http_request *rq);
int web_people_dismiss(struct http_request *rq);
int web_notifications(struct http_request *rq);
int web_notifications_read(struct http_request *rq);
int web_messages(struct http_request *rq);
int web_conversation(struct http_request *rq);
int web_message_send(struct http_request *rq);
int web_message_mute(struct http_request *rq);
int web_settings_messages(struct http_request *rq);
int web_login_form(struct http_request *rq);
int web_login(struct http_request *rq);
int web_logout(struct http_request *rq);
int web_join_form(struct http_request *rq);
int web_join(struct http_request *rq);
int web_settings(struct http_request *rq);
int web_settings_password(struct http_request *rq);
int web_settings_invite(struct http_request *rq);
int web_static(struct http_request *rq);
int web_item_flag(struct http_request *rq);
int web_comment_flag(struct http_request *rq);
int web_moderations(struct http_request *rq);
int web_mod_queue(struct http_request *rq);
int web_mod_act(struct http_request *rq);
int web_admin(struct http_request *rq);
/* reset.c: "forgot your password?" and the mailed link's page */
int web_forgot_form(struct http_request *rq);
int web_forgot(struct http_request *rq);
int web_reset_form(struct http_request *rq);
int web_reset(struct http_request *rq);
int web_settings_invite_revoke(struct http_request *rq);
int web_admin_about(struct http_request *rq);
/* Monitoring (river.c, columns.c). */
int web_river(struct http_request *rq);
int web_search(struct http_request *rq);
int web_digest(struct http_request *rq);
int web_digest_atom(struct http_request *rq);
int web_search_save(struct http_request *rq);
int web_columns(struct http_request *rq);
int web_search_alert(struct http_request *rq);
int web_search_delete(struct http_request *rq);
int web_search_atom(struct http_request *rq);
int web_opml_directory(struct http_request *rq);
int web_opml_mine(struct http_request *rq);
int web_opml_import(struct http_request *rq);
int web_settings_digest(struct http_request *rq);
int web_verify_email(struct http_request *rq);
int web_settings_confirm(struct http_request *rq);
int web_settings_token_revoke(struct http_request *rq);
/* Reader signals and the member's own data (item.c, signals.c, blogstats.c, privacy.c,
 * subscribe.c). */
int web_entry_go(struct http_request *rq);
/* http_config.observe: a cached item page was read. */
void web_item_observe(struct http_request *rq);
int web_item_save(struct http_request *rq);
int web_saved(struct http_request *rq);
int web_stats(struct http_request *rq);
int web_item_stats(struct http_request *rq);
int web_blog_stats(struct http_request *rq);
int web_blog_verify(struct http_request *rq);
int web_settings_privacy(struct http_request *rq);
int web_settings_privacy_post(struct http_request *rq);
int web_settings_export(struct http_request *rq);
int web_settings_delete_form(struct http_request *rq);
int web_settings_delete(struct http_request *rq);
int web_subscribe_form(struct http_request *rq);
int web_subscribe(struct http_request *rq);
int web_subscribe_confirm_form(struct http_request *rq);
int web_subscribe_confirm(struct http_request *rq);
int web_unsubscribe_form(struct http_request *rq);
int web_unsubscribe(struct http_request *rq);
/* The error page for http_config.render_error_page. */
void web_error_page(struct http_request *rq, int status);

#endif
