// The lab's own pseudo-random numbers, for whatever a machine randomizes
// (`boot seed=N`): splitmix64, so that the same seed gives the same numbers
// natively and in wasm, with libstdc++ or libc++ (the standard library's
// distributions are not specified bit for bit and differ between them).
#pragma once

#include <cstdint>

namespace mm {

class Random {
  public:
    explicit Random(uint64_t seed = 0) : m_state(seed) {}

    // The next 64 random bits (Steele, Lea and Flood's SplitMix64).
    uint64_t next() {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }

    // A number in [0, n) for n >= 1, every value equally likely: draws
    // that fall in the last, partial run of n are thrown away.
    uint64_t below(uint64_t n) {
        const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        uint64_t v = next();
        while (v >= limit)
            v = next();
        return v % n;
    }

    // What a digest of the machine feeds in: the whole generator state.
    uint64_t state() const { return m_state; }

  private:
    uint64_t m_state;
};

} // namespace mm
