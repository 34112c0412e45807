// The benchmarks' peer: a textbook buddy allocator with nothing around it
// (no zones, watermarks, counters, checks or events), to measure what the
// lab's allocator costs against the bare algorithm. Its design follows
// evanw/buddy-malloc: a linearised binary tree with one bit per parent,
// the exclusive-or of its two children's "free" states (so freeing a block
// flips its parent's bit, and a bit left at 0 means the buddy is free too:
// merge), and per-order circular doubly linked free lists. It manages a
// 1 GiB arena of 4 KiB blocks by block number; the list links live in side
// arrays (the lab's pages are not memory to write into).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace bench {

class TextbookBuddy {
  public:
    static constexpr unsigned kMaxOrder = 18; // 2^18 blocks of 4 KiB: 1 GiB
    static constexpr uint32_t kBlocks = uint32_t{1} << kMaxOrder;

    TextbookBuddy()
        : m_next(kBlocks + kMaxOrder + 1), m_prev(kBlocks + kMaxOrder + 1),
          m_split(kBlocks / 8, 0) {
        for (unsigned o = 0; o <= kMaxOrder; ++o)
            m_next[sentinel(o)] = m_prev[sentinel(o)] = sentinel(o);
        push(kMaxOrder, 0); // the whole arena, one free block
    }

    // A block of 2^order blocks: its first block number, or -1.
    int64_t alloc(unsigned order) {
        unsigned o = order;
        while (o <= kMaxOrder && m_next[sentinel(o)] == sentinel(o))
            ++o;
        if (o > kMaxOrder) return -1;
        const uint32_t block = m_next[sentinel(o)];
        remove(block);
        if (o < kMaxOrder) flip_parent(node(block, o));
        while (o > order) { // split: keep the left half, free the right
            --o;
            flip_parent(node(block, o));
            push(o, block + (uint32_t{1} << o));
        }
        return block;
    }

    void free(uint32_t block, unsigned order) {
        unsigned o = order;
        while (o < kMaxOrder) {
            const uint32_t n = node(block, o);
            flip_parent(n);
            if (parent_split(n)) break; // the buddy is in use
            remove(block ^ (uint32_t{1} << o));
            block &= ~(uint32_t{1} << o);
            ++o;
        }
        push(o, block);
    }

  private:
    static uint32_t sentinel(unsigned order) { return kBlocks + order; }
    // The tree's node for a block of `order` at `block`: depth kMaxOrder - order.
    static uint32_t node(uint32_t block, unsigned order) {
        return (uint32_t{1} << (kMaxOrder - order)) - 1 + (block >> order);
    }
    void flip_parent(uint32_t n) {
        const uint32_t p = (n - 1) / 2;
        m_split[p / 8] ^= static_cast<uint8_t>(1u << (p % 8));
    }
    bool parent_split(uint32_t n) const {
        const uint32_t p = (n - 1) / 2;
        return (m_split[p / 8] >> (p % 8)) & 1;
    }
    void push(unsigned order, uint32_t block) { // at the head
        const uint32_t s = sentinel(order), first = m_next[s];
        m_next[block] = first;
        m_prev[block] = s;
        m_prev[first] = block;
        m_next[s] = block;
    }
    void remove(uint32_t block) {
        const uint32_t p = m_prev[block], n = m_next[block];
        m_next[p] = n;
        m_prev[n] = p;
    }

    std::vector<uint32_t> m_next, m_prev;
    std::vector<uint8_t> m_split; // one bit per parent node
};

} // namespace bench
