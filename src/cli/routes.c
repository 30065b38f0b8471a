/* The route table: every page, form action and API endpoint, with its flags. */
#include "../api/api.h"
#include "../web/web.h"
#include "cli.h"

#define FORM (ROUTE_AUTH | ROUTE_CSRF)
#define API_W (ROUTE_JSON | ROUTE_AUTH | ROUTE_CSRF)

const struct http_route cli_routes[] = {
    {HTTP_GET, "/", web_front, ROUTE_CACHE},
    {HTTP_GET, "/new", web_new, ROUTE_CACHE},
    {HTTP_GET, "/directory", web_directory, ROUTE_CACHE},
    {HTTP_GET, "/feed.atom", web_atom_front, ROUTE_CACHE},
    {HTTP_GET, "/directory.atom", web_atom_directory, ROUTE_CACHE},
    {HTTP_GET, "/i/:id", web_item, ROUTE_CACHE},
    {HTTP_POST, "/i/:id/vote", web_item_vote, FORM},
    {HTTP_POST, "/i/:id/comment", web_comment_post, FORM},
    {HTTP_GET, "/go/:id", web_go, 0},
    {HTTP_GET, "/why/:id", web_why, ROUTE_CACHE},
    {HTTP_POST, "/c/:id/vote", web_comment_vote, FORM},
    {HTTP_GET, "/c/:id/edit", web_comment_edit_form, ROUTE_AUTH},
    {HTTP_POST, "/c/:id/edit", web_comment_edit, FORM},
    {HTTP_POST, "/c/:id/delete", web_comment_delete, FORM},
    {HTTP_GET, "/submit", web_submit_form, ROUTE_AUTH},
    {HTTP_POST, "/submit", web_submit, FORM},
    {HTTP_GET, "/u/:handle", web_user, ROUTE_CACHE},
    {HTTP_GET, "/login", web_login_form, 0},
    {HTTP_POST, "/login", web_login, ROUTE_CSRF},
    {HTTP_POST, "/logout", web_logout, ROUTE_CSRF},
    {HTTP_GET, "/join/:code", web_join_form, 0},
    {HTTP_POST, "/join/:code", web_join, ROUTE_CSRF},
    {HTTP_GET, "/settings", web_settings, ROUTE_AUTH},
    {HTTP_POST, "/settings/password", web_settings_password, FORM},
    {HTTP_POST, "/settings/invite", web_settings_invite, FORM},
    {HTTP_GET, "/static/:name", web_static, ROUTE_CACHE},
    {HTTP_POST, "/i/:id/flag", web_item_flag, FORM},
    {HTTP_POST, "/c/:id/flag", web_comment_flag, FORM},
    {HTTP_GET, "/moderations", web_moderations, ROUTE_CACHE},
    {HTTP_GET, "/mod", web_mod_queue, ROUTE_AUTH},
    {HTTP_POST, "/mod/act", web_mod_act, FORM},
    {HTTP_GET, "/admin", web_admin, ROUTE_AUTH},

    {HTTP_GET, "/api/v1/items", api_items_list, ROUTE_JSON | ROUTE_CACHE},
    {HTTP_POST, "/api/v1/items", api_item_create, API_W},
    {HTTP_GET, "/api/v1/items/:id", api_item_get, ROUTE_JSON | ROUTE_CACHE},
    {HTTP_POST, "/api/v1/items/:id/vote", api_item_vote, API_W},
    {HTTP_POST, "/api/v1/items/:id/comments", api_item_comment, API_W},
    {HTTP_GET, "/api/v1/items/:id/why", api_item_why, ROUTE_JSON},
    {HTTP_POST, "/api/v1/comments/:id/vote", api_comment_vote, API_W},
    {HTTP_GET, "/api/v1/users/:handle", api_user_get, ROUTE_JSON},
    {HTTP_POST, "/api/v1/items/:id/flag", api_item_flag, API_W},
    {HTTP_POST, "/api/v1/comments/:id/flag", api_comment_flag, API_W},
    {HTTP_GET, "/api/v1/modlog", api_modlog, ROUTE_JSON},
    {HTTP_GET, "/api/v1/mod/queue", api_mod_queue, ROUTE_JSON | ROUTE_AUTH},
    {HTTP_POST, "/api/v1/mod/actions", api_mod_act, API_W},
};

const size_t cli_nroutes = sizeof(cli_routes) / sizeof(cli_routes[0]);
