using SixLabors.ImageSharp.PixelFormats;
using static KMeansPS.Imaging.Tiff.TiffTags;

namespace KMeansPS.Imaging.Tiff;

/// <summary>
/// A grey TIFF with an alpha sample (two samples a pixel, 8 or 16 bits each, interleaved: what PIL writes for an "LA"
/// image and ImageMagick for grey with alpha), which ImageSharp 2.1 refuses ("The number of samples in the TIFF
/// BitsPerSample entry is not supported"). ImageSharp still expands its strips: it is handed a copy whose directory
/// calls the same bytes a grey image of twice the width, one sample a pixel, without the predictor (whose
/// differences run per sample, two columns apart); <c>Assemble</c> then pairs the columns, undoes the
/// predictor, inverts MinIsWhite grey and divides associated (premultiplied) alpha out.
/// </summary>
internal sealed class GreyAlphaTiff
{
    private GreyAlphaTiff(int width, int height, int bits, bool predictor, bool minIsWhite, bool associated, byte[] forImageSharp)
    {
        Width = width;
        Height = height;
        Bits = bits;
        HorizontalPredictor = predictor;
        MinIsWhite = minIsWhite;
        AssociatedAlpha = associated;
        ForImageSharp = forImageSharp;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Bits a sample: 8 or 16.</summary>
    public int Bits { get; }

    /// <summary>Predictor 2: each sample stored as its difference from the same sample of the pixel to its left.</summary>
    public bool HorizontalPredictor { get; }

    /// <summary>Photometric 0: grey 0 is white.</summary>
    public bool MinIsWhite { get; }

    /// <summary>ExtraSamples 1: the grey is premultiplied by alpha. Unassociated (2), unspecified (0) or no entry: straight.</summary>
    public bool AssociatedAlpha { get; }

    /// <summary>The copy ImageSharp decodes: a grey image of 2 x <see cref="Width"/> columns, column 2x the grey of pixel x, 2x + 1 its alpha.</summary>
    public byte[] ForImageSharp { get; }

    /// <summary>
    /// The layout of <paramref name="file"/> when its first directory is grey with one alpha sample, chunky, unsigned
    /// 8 or 16 bits, in a compression ImageSharp expands byte for byte (none, LZW, Deflate, PackBits); else null.
    /// </summary>
    public static GreyAlphaTiff? Read(byte[] file)
    {
        if (TiffFirstDirectory.Read(file) is not { } directory) return null;
        long? photometric = directory.Value(Photometric), predictor = directory.Value(Predictor) ?? 1;
        if (directory.Value(SamplesPerPixel) != 2 || photometric is not (0 or 1)) return null;
        if ((directory.Value(PlanarConfiguration) ?? 1) != 1 || (directory.Value(SampleFormat) ?? 1) != 1) return null;
        if (directory.Value(Compression) is not (1 or 5 or 8 or 32946 or 32773) || predictor is not (1 or 2)) return null;
        long? bits = directory.Value(BitsPerSample);
        if (bits is not (8 or 16) || (directory.Count(BitsPerSample) > 1 && directory.Value(BitsPerSample, 1) != bits)) return null;
        if (directory.Value(ImageWidth) is not long width || directory.Value(ImageLength) is not long height) return null;
        if (width <= 0 || height <= 0 || 2 * width > uint.MaxValue || width > int.MaxValue / 2) return null;

        byte[] forImageSharp = directory.Rewritten(
            new Dictionary<ushort, uint> { [ImageWidth] = (uint)(2 * width), [SamplesPerPixel] = 1, [BitsPerSample] = (uint)bits, [Photometric] = 1 },
            [Predictor, ExtraSamples]);
        return new GreyAlphaTiff((int)width, (int)height, (int)bits, predictor == 2, photometric == 0, directory.Value(ExtraSamples) == 1, forImageSharp);
    }

    /// <summary>One row of pixels from a row of an 8-bit <see cref="ForImageSharp"/> (2 x <see cref="Width"/> samples).</summary>
    public void Assemble(ReadOnlySpan<L8> columns, Span<Rgba32> row)
    {
        int grey = 0, alpha = 0;
        for (int x = 0; x < Width; x++)
        {
            (int g, int a) = Next(columns[2 * x].PackedValue, columns[2 * x + 1].PackedValue, ref grey, ref alpha);
            row[x] = new Rgba32((byte)g, (byte)g, (byte)g, (byte)a);
        }
    }

    /// <summary>One row of pixels from a row of a 16-bit <see cref="ForImageSharp"/> (2 x <see cref="Width"/> samples).</summary>
    public void Assemble(ReadOnlySpan<L16> columns, Span<Rgba64> row)
    {
        int grey = 0, alpha = 0;
        for (int x = 0; x < Width; x++)
        {
            (int g, int a) = Next(columns[2 * x].PackedValue, columns[2 * x + 1].PackedValue, ref grey, ref alpha);
            row[x] = new Rgba64((ushort)g, (ushort)g, (ushort)g, (ushort)a);
        }
    }

    /// <summary>A pixel's straight grey and alpha from its stored samples, after the pixel to its left (<paramref name="grey"/>, <paramref name="alpha"/>: as stored, predictor undone).</summary>
    private (int Grey, int Alpha) Next(int g, int a, ref int grey, ref int alpha)
    {
        int max = (1 << Bits) - 1;
        if (HorizontalPredictor)
        {
            g = (g + grey) & max;
            a = (a + alpha) & max;
        }
        grey = g;
        alpha = a;
        if (MinIsWhite) g = max - g;
        if (AssociatedAlpha) g = a == 0 ? 0 : (int)Math.Min(max, ((long)g * max + a / 2) / a);
        return (g, a);
    }
}
