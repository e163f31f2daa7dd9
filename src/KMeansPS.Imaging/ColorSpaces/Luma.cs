using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.ColorSpaces;

/// <summary>
/// Luma Y = 0.299 R + 0.587 G + 0.114 B of the premultiplied colour (<see cref="MetricColor"/>; plain colour for
/// opaque pixels): the plane <see cref="Metrics.Ssim"/> compares.
/// </summary>
internal static class Luma
{
    // Each channel's term of the luma of an opaque pixel, by value: the same products as computing them, looked up.
    private static readonly float[] RedLuma = LumaTerms(0.299f);
    private static readonly float[] GreenLuma = LumaTerms(0.587f);
    private static readonly float[] BlueLuma = LumaTerms(0.114f);

    private static float[] LumaTerms(float weight)
    {
        var terms = new float[256];
        for (int v = 0; v < 256; v++) terms[v] = weight * v;
        return terms;
    }

    /// <summary>Writes the luma of each of <paramref name="pixels"/> to <paramref name="luma"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Compute(ReadOnlySpan<Rgba32> pixels, Span<float> luma)
    {
        float[] red = RedLuma, green = GreenLuma, blue = BlueLuma;
        for (int i = 0; i < pixels.Length; i++)
        {
            Rgba32 c = pixels[i];
            if (c.A == 255)
            {
                luma[i] = red[c.R] + green[c.G] + blue[c.B];
                continue;
            }
            MetricColor.ToMetric(c, out float r, out float g, out float bl, out _);
            luma[i] = 0.299f * r + 0.587f * g + 0.114f * bl;
        }
    }
}
