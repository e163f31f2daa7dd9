using System.Runtime.CompilerServices;
namespace KMeansPS.Imaging.Png;

/// <summary>Adler-32, the checksum that closes a zlib stream.</summary>
internal static class Adler32
{
    private const uint Mod = 65521;
    // Largest n such that 255 n (n + 1) / 2 + (n + 1)(Mod - 1) fits in 32 bits (zlib's NMAX).
    private const int MaxBlock = 5552;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static uint Append(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xFFFF, b = adler >> 16;
        while (data.Length > 0)
        {
            int n = Math.Min(MaxBlock, data.Length);
            foreach (byte x in data[..n])
            {
                a += x;
                b += a;
            }
            a %= Mod;
            b %= Mod;
            data = data[n..];
        }
        return (b << 16) | a;
    }

    public static uint Compute(ReadOnlySpan<byte> data) => Append(1, data);
}
