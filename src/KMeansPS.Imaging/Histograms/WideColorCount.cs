using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Histograms;

/// <summary>
/// The distinct colours of an image at 16 bits a channel (<see cref="RgbaImage.Wide"/>), counted as
/// <see cref="ColorHistogram"/> counts 8-bit ones: every fully transparent pixel is one colour, and past the
/// histogram's bound the count stops at one more than it (a lower bound, as <see cref="ColorHistogram.DistinctColors"/>
/// is for a coarse histogram), so the set never holds more than the bound.
/// </summary>
internal static class WideColorCount
{
    public static long Distinct(ReadOnlySpan<Rgba64> pixels, long maxEntries)
    {
        ReadOnlySpan<ulong> values = MemoryMarshal.Cast<Rgba64, ulong>(pixels);
        var seen = new HashSet<ulong>((int)Math.Min(values.Length, Math.Min(maxEntries + 1, 1 << 20)));
        for (int i = 0; i < values.Length; i++)
        {
            seen.Add(pixels[i].A == 0 ? 0 : values[i]);
            if (seen.Count > maxEntries) break;
        }
        return seen.Count;
    }
}
