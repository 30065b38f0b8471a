/* Internal to src/ranker: the snapshot built from store rows, with the id <-> index maps. */
#ifndef GUILD_RANKER_INT_H
#define GUILD_RANKER_INT_H

#include "../rank/rank.h"
#include "../social/social.h"
#include "ranker.h"

struct ranker_snap {
    int64_t *member_ids, *item_ids; /* ascending: index = position */
    size_t nmember_ids, nitem_ids;
    struct rank_member *members;
    struct rank_item *items;
    struct rank_vote *votes;
    struct rank_open *opens;
    size_t nvotes, nopens;
    struct rank_edge *edges; /* trust ties: accepted connections and endorsements */
    size_t nedges;
    struct social_edge *follows; /* for influence (docs/influence.md) */
    size_t nfollows;
    struct rank_snapshot snap; /* points into the arrays above */
};

/* Builds rs from store rows (heap arrays; free with ranker_snap_free). */
void ranker_snap_build(struct ranker_snap *rs, const struct store_rank_data *d, int64_t now);
void ranker_snap_free(struct ranker_snap *rs);
/* Maps d's votes and opens to snapshot indices, dropping rows it does not know. */
void ranker_map_votes(const struct ranker_snap *rs, const struct store_rank_data *d,
                      struct rank_vote *votes, size_t *nvotes, struct rank_open *opens,
                      size_t *nopens);
/* Index of id in ascending ids, or RANK_NONE. */
uint32_t ranker_index(const int64_t *ids, size_t n, int64_t id);

#endif
