// GFP masks: names, gfp_zone(), gfp_to_alloc_flags() and the %pGg printer,
// following include/linux/gfp_types.h, include/linux/gfp.h,
// include/trace/events/mmflags.h and lib/vsprintf.c of Linux 6.18.
#include "core/mm/gfp.h"

#include "core/console/syntax.h"

#include <cstdio>

namespace mm {

namespace {

struct GfpName {
    gfp_t mask;
    const char* name;
};

// __def_gfpflag_names: composites first, in the kernel's order, then
// TRACE_GFP_FLAGS in bit order. format_gfp() walks this table as
// format_flags() does.
constexpr GfpName kGfpNames[] = {
    {GFP_TRANSHUGE, "GFP_TRANSHUGE"},
    {GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT"},
    {GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"},
    {GFP_HIGHUSER, "GFP_HIGHUSER"},
    {GFP_USER, "GFP_USER"},
    {GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"},
    {GFP_KERNEL, "GFP_KERNEL"},
    {GFP_NOFS, "GFP_NOFS"},
    {GFP_ATOMIC, "GFP_ATOMIC"},
    {GFP_NOIO, "GFP_NOIO"},
    {GFP_NOWAIT, "GFP_NOWAIT"},
    {GFP_DMA, "GFP_DMA"},
    {GFP_DMA32, "GFP_DMA32"},
    {__GFP_RECLAIM, "__GFP_RECLAIM"},
    {__GFP_DMA, "__GFP_DMA"},
    {__GFP_HIGHMEM, "__GFP_HIGHMEM"},
    {__GFP_DMA32, "__GFP_DMA32"},
    {__GFP_MOVABLE, "__GFP_MOVABLE"},
    {__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"},
    {__GFP_HIGH, "__GFP_HIGH"},
    {__GFP_IO, "__GFP_IO"},
    {__GFP_FS, "__GFP_FS"},
    {__GFP_ZERO, "__GFP_ZERO"},
    {__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"},
    {__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"},
    {__GFP_WRITE, "__GFP_WRITE"},
    {__GFP_NOWARN, "__GFP_NOWARN"},
    {__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"},
    {__GFP_NOFAIL, "__GFP_NOFAIL"},
    {__GFP_NORETRY, "__GFP_NORETRY"},
    {__GFP_MEMALLOC, "__GFP_MEMALLOC"},
    {__GFP_COMP, "__GFP_COMP"},
    {__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"},
    {__GFP_HARDWALL, "__GFP_HARDWALL"},
    {__GFP_THISNODE, "__GFP_THISNODE"},
    {__GFP_ACCOUNT, "__GFP_ACCOUNT"},
    {__GFP_ZEROTAGS, "__GFP_ZEROTAGS"},
};

constexpr size_t kNameCount = sizeof(kGfpNames) / sizeof(kGfpNames[0]);

const char* const* name_list() {
    static const char* names[kNameCount];
    for (size_t i = 0; i < kNameCount; ++i)
        names[i] = kGfpNames[i].name;
    return names;
}

} // namespace

unsigned gfp_zone(gfp_t flags, ZoneConfig config) {
    // GFP_ZONE_TABLE with GFP_ZONES_SHIFT 2; GFP_ZONE_BAD entries are 0.
    unsigned table = 0;
    switch (config) {
    case ZoneConfig::X86_64:
        table = 0x1320122;
        break;
    case ZoneConfig::I386:
        table = 0x1310121;
        break;
    case ZoneConfig::Toy:
        return 0; // a single zone
    }
    unsigned bit = flags & GFP_ZONEMASK;
    switch (bit) {
    case 0x3:
    case 0x5:
    case 0x6:
    case 0x7:
    case 0xb:
    case 0xd:
    case 0xe:
    case 0xf:
        return 0; // GFP_ZONE_BAD: VM_BUG_ON only with CONFIG_DEBUG_VM
    default:
        break;
    }
    return (table >> (bit * 2)) & 3;
}

unsigned gfp_to_alloc_flags(gfp_t gfp, unsigned order) {
    unsigned alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
    // __GFP_HIGH is ALLOC_MIN_RESERVE and __GFP_KSWAPD_RECLAIM is ALLOC_KSWAPD.
    alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
    if (!(gfp & __GFP_DIRECT_RECLAIM)) {
        if (!(gfp & __GFP_NOMEMALLOC)) {
            alloc_flags |= ALLOC_NON_BLOCK;
            if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE)) alloc_flags |= ALLOC_HIGHATOMIC;
        }
        if (alloc_flags & ALLOC_MIN_RESERVE) alloc_flags &= ~ALLOC_CPUSET;
    }
    return alloc_flags;
}

std::optional<gfp_t> parse_gfp(std::string_view text, std::string* bad) {
    gfp_t mask = 0;
    if (text.empty()) {
        if (bad) *bad = "";
        return std::nullopt;
    }
    size_t start = 0;
    while (start <= text.size()) {
        size_t bar = text.find('|', start);
        std::string_view word =
            text.substr(start, bar == std::string_view::npos ? text.npos : bar - start);
        bool found = false;
        for (const GfpName& n : kGfpNames) {
            if (word == n.name) {
                mask |= n.mask;
                found = true;
                break;
            }
        }
        if (!found) {
            auto number = parse_number(word);
            if (!number || *number > __GFP_BITS_MASK) {
                if (bad) *bad = std::string(word);
                return std::nullopt;
            }
            mask |= static_cast<gfp_t>(*number);
        }
        if (bar == std::string_view::npos) break;
        start = bar + 1;
    }
    return mask;
}

std::string format_gfp(gfp_t flags) {
    std::string out;
    for (const GfpName& n : kGfpNames) {
        if (!flags) break;
        if ((flags & n.mask) != n.mask) continue;
        out += n.name;
        flags &= ~n.mask;
        if (flags) out += '|';
    }
    if (flags) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%#x", flags);
        out += buf;
    }
    return out;
}

const char* const* gfp_names(size_t* count) {
    *count = kNameCount;
    return name_list();
}

} // namespace mm
