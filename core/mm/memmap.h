// The memmap in sections, as SPARSEMEM keeps it: one entry per 128 MiB of
// physical address space, holding struct pages only where the section has
// RAM. A section whose frames are all as boot left them holds no pages at
// all, only what they are (free blocks of the largest order of one zone, or
// one reservation), and gets its 32768 pages on the first write; a copy of
// a memmap shares every section with it until one of the two writes there.
// So booting costs what the free blocks cost, and a copy of a 64 GiB machine
// costs what its written sections cost.
//
// Included by machine.h after struct page; nothing else includes it.
#pragma once

#include <memory>
#include <vector>

namespace mm {

struct MemSection {
    enum class State : uint8_t {
        Absent,   // no RAM: no struct pages (the MMIO gap, above max_pfn)
        Free,     // untouched since boot: 32 free blocks of MAX_PAGE_ORDER of `zone`,
                  // linked in ascending order on its order-10 list
        Reserved, // untouched since boot: every frame reserved as `reserve`
        Populated // `pages` holds PAGES_PER_SECTION struct pages
    };
    std::shared_ptr<Page[]> pages; // Populated only
    State state = State::Absent;
    // `pages` is this memmap's alone (no copy shares it), so a write may go
    // there directly; else the first write copies or fills it.
    bool exclusive = false;
    uint8_t zone = 0;
    ReserveKind reserve = ReserveKind::None;
    // Free: the list links of its first head (prev) and its last (next), the
    // only links that leave the section.
    uint32_t first_prev = NIL_PFN;
    uint32_t last_next = NIL_PFN;
};

class Memmap {
  public:
    Memmap() = default;
    // A copy shares every section; both sides then copy a populated section
    // before writing it (copy-on-write).
    Memmap(const Memmap& other);
    Memmap& operator=(const Memmap& other);
    Memmap(Memmap&&) noexcept = default;
    Memmap& operator=(Memmap&&) noexcept = default;

    // Every section absent, enough of them to reach `end`.
    void reset(Pfn end);
    size_t nr_sections() const { return m_sections.size(); }
    const MemSection& section(size_t nr) const { return m_sections[nr]; }
    // For boot, which sets the untouched states up.
    MemSection& section_mut(size_t nr) { return m_sections[nr]; }
    // A struct page exists for pfn (its section has RAM).
    bool valid(Pfn pfn) const {
        const uint64_t nr = pfn.value() >> PFN_SECTION_SHIFT;
        return nr < m_sections.size() && m_sections[nr].state != MemSection::State::Absent;
    }
    // The page at pfn, which must be valid(): read from the section, or
    // worked out from what an untouched section is.
    Page get(Pfn pfn) const {
        const MemSection& s = m_sections[pfn.value() >> PFN_SECTION_SHIFT];
        if (s.state == MemSection::State::Populated)
            return s.pages[pfn.value() & (PAGES_PER_SECTION - 1)];
        return untouched_page(s, pfn);
    }
    // The page at pfn to write, which must be valid(): its section becomes
    // this memmap's own populated copy first.
    Page& mut(Pfn pfn) {
        MemSection& s = m_sections[pfn.value() >> PFN_SECTION_SHIFT];
        if (!s.exclusive) own(s, pfn.value() >> PFN_SECTION_SHIFT);
        return s.pages[pfn.value() & (PAGES_PER_SECTION - 1)];
    }
    // Sets the `next` link of a free block's head without populating an
    // untouched section for it when the head is that section's last (boot
    // appends blocks after it).
    void set_next(Pfn pfn, uint32_t next);
    // Sections holding struct pages, for the memory they cost.
    size_t populated_sections() const;

    static Page untouched_page(const MemSection& s, Pfn pfn);

  private:
    void own(MemSection& s, uint64_t nr);
    // mutable: copying marks the source's sections shared too.
    mutable std::vector<MemSection> m_sections;
};

} // namespace mm
