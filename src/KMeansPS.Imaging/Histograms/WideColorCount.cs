using System.Runtime.InteropServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Histograms;

/// <summary>
/// The distinct colours of an image at 16 bits a channel (<see cref="RgbaImage.Wide"/>), counted as
/// <see cref="ColorHistogram"/> counts 8-bit ones: every fully transparent pixel is one colour.
/// </summary>
internal static class WideColorCount
{
    /// <summary>Sorts a copy of the packed pixels and counts the changes: 8 bytes a pixel for the moment it takes.</summary>
    public static long Distinct(ReadOnlySpan<Rgba64> pixels)
    {
        if (pixels.IsEmpty) return 0;
        ulong[] packed = LargeBufferCache.Rent<ulong>(pixels.Length);
        try
        {
            ReadOnlySpan<ulong> values = MemoryMarshal.Cast<Rgba64, ulong>(pixels);
            for (int i = 0; i < values.Length; i++)
                packed[i] = pixels[i].A == 0 ? 0 : values[i];
            Span<ulong> sorted = packed.AsSpan(0, pixels.Length);
            sorted.Sort();
            long distinct = 1;
            for (int i = 1; i < sorted.Length; i++)
                if (sorted[i] != sorted[i - 1]) distinct++;
            return distinct;
        }
        finally
        {
            LargeBufferCache.Return(packed);
        }
    }
}
