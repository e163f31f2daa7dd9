namespace KMeansPS.Engine.Random;

/// <summary>
/// xoshiro256** seeded through SplitMix64. We own the generator so that a seed gives the same
/// stream on every runtime, OS and CPU; System.Random's algorithm is not a stable contract.
/// Only integer operations and IEEE-exact arithmetic are used, never libm.
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    public DeterministicRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, maxExclusive), unbiased (Lemire's rejection).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong range = (ulong)maxExclusive;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 m = (UInt128)r * range;
            if ((ulong)m >= threshold) return (int)(m >> 64);
        }
    }

    /// <summary>Standard normal deviate (Marsaglia's polar method with a portable log).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.Sqrt(-2.0 * PortableMath.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpare = true;
        return u * factor;
    }
}
