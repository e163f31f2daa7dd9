using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// <remarks>
    /// Vectors of opaque pixels take the same float products and sums in the same order as the lookups ((R term + G
    /// term) + B term, no fused multiply-add), so every width gives the scalar loop's bits; a vector holding a
    /// translucent pixel goes through the scalar loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Compute(ReadOnlySpan<Rgba32> pixels, Span<float> luma, bool vectors = true)
    {
        if (luma.Length < pixels.Length) throw new ArgumentException("Too few luma values for the pixels.", nameof(luma));
        int i = 0;
        if (vectors && Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<Vector<uint>> packed = MemoryMarshal.Cast<Rgba32, Vector<uint>>(pixels);
            Span<Vector<float>> output = MemoryMarshal.Cast<float, Vector<float>>(luma);
            var channel = new Vector<uint>(0xFF);
            var wr = new Vector<float>(0.299f);
            var wg = new Vector<float>(0.587f);
            var wb = new Vector<float>(0.114f);
            for (int v = 0; v < packed.Length; v++)
            {
                Vector<uint> p = packed[v];
                if (!Vector.EqualsAll(Vector.ShiftRightLogical(p, 24), channel))
                {
                    Scalar(pixels.Slice(v * Vector<uint>.Count, Vector<uint>.Count), luma.Slice(v * Vector<uint>.Count));
                    continue;
                }
                Vector<float> r = Vector.ConvertToSingle(Vector.AsVectorInt32(p & channel));
                Vector<float> g = Vector.ConvertToSingle(Vector.AsVectorInt32(Vector.ShiftRightLogical(p, 8) & channel));
                Vector<float> b = Vector.ConvertToSingle(Vector.AsVectorInt32(Vector.ShiftRightLogical(p, 16) & channel));
                output[v] = r * wr + g * wg + b * wb;
            }
            i = packed.Length * Vector<uint>.Count;
        }
        Scalar(pixels[i..], luma[i..]);
    }

    private static void Scalar(ReadOnlySpan<Rgba32> pixels, Span<float> luma)
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
