using System.Buffers.Binary;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Integrity;
using KMeansPS.Imaging.Tests.Integrity;
using KMeansPS.Imaging.Tiff;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Decoding;

/// <summary>
/// Grey TIFFs with an alpha sample, which ImageSharp 2.1 refuses: decoded to the grey and alpha the file holds, at 8
/// and 16 bits, in every compression ImageSharp expands, with and without the horizontal predictor, MinIsWhite, and
/// associated alpha. The files are built from seeded samples: the stored bytes are written by ImageSharp's own
/// encoder as an 8-bit grey image of as many columns as the rows have bytes (so its LZW, Deflate and PackBits strips hold exactly those bytes),
/// then the directory is made to say what they are.
/// </summary>
public class GreyAlphaTiffTests
{
    private const ushort ImageWidth = 256, BitsPerSample = 258, Photometric = 262, SamplesPerPixel = 277, Predictor = 317, ExtraSamples = 338;

    public static TheoryData<TiffCompression, int, bool> Layouts()
    {
        var data = new TheoryData<TiffCompression, int, bool>();
        foreach (TiffCompression compression in new[] { TiffCompression.None, TiffCompression.Lzw, TiffCompression.Deflate, TiffCompression.PackBits })
            foreach (int bits in new[] { 8, 16 })
                foreach (bool predictor in new[] { false, true })
                    data.Add(compression, bits, predictor);
        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Grey_and_alpha_are_the_samples_the_file_holds(TiffCompression compression, int bits, bool predictor)
    {
        const int Width = 37, Height = 23;
        var random = new Random(bits * 10 + (int)compression + (predictor ? 100 : 0));
        int max = (1 << bits) - 1;
        // Smooth grey and alpha with noise, so predictor differences are small and wrap now and then.
        var grey = new int[Width * Height];
        var alpha = new int[Width * Height];
        for (int i = 0; i < grey.Length; i++)
        {
            grey[i] = Math.Clamp((i % Width) * max / Width + random.Next(-max / 20, max / 20), 0, max);
            alpha[i] = random.Next(8) == 0 ? 0 : Math.Clamp((i / Width) * max / Height + random.Next(-max / 10, max / 10), 0, max);
        }
        byte[] file = Write(Width, Height, bits, grey, alpha, compression, predictor, minIsWhite: false, extraSamples: 2);

        Assert.NotNull(ImageSharpOracle.Decode(file).Error); // ImageSharp alone refuses it
        Assert.Equal(IntegrityVerdict.Intact, FileIntegrity.Check(file).Verdict);
        RgbaImage image = ImageDecoder.Decode(file, 1 << 20, "la.tif", TestContext.Current.CancellationToken);
        Assert.Equal((Width, Height), (image.Width, image.Height));
        for (int i = 0; i < grey.Length; i++)
        {
            Rgba64 expected = bits == 8
                ? new Rgba64((ushort)(grey[i] * 257), (ushort)(grey[i] * 257), (ushort)(grey[i] * 257), (ushort)(alpha[i] * 257))
                : new Rgba64((ushort)grey[i], (ushort)grey[i], (ushort)grey[i], (ushort)alpha[i]);
            Rgba32 narrow = image.Pixels[i];
            Rgba64 got = image.Wide?[i] ?? new Rgba64((ushort)(narrow.R * 257), (ushort)(narrow.G * 257), (ushort)(narrow.B * 257), (ushort)(narrow.A * 257));
            Assert.True(expected == got, $"pixel {i}: expected {expected}, got {got}");
        }
        Assert.Equal(bits == 16, image.Wide is not null);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void MinIsWhite_grey_is_inverted_and_associated_alpha_divided_out(int bits)
    {
        const int Width = 16, Height = 16;
        int max = (1 << bits) - 1;
        var random = new Random(bits);
        int[] straight = Enumerable.Range(0, Width * Height).Select(_ => random.Next(max + 1)).ToArray();
        int[] alpha = Enumerable.Range(0, Width * Height).Select(i => i % 5 == 0 ? 0 : random.Next(1, max + 1)).ToArray();
        int[] premultiplied = straight.Select((g, i) => (int)(((long)g * alpha[i] + max / 2) / max)).ToArray();

        RgbaImage white = ImageDecoder.Decode(Write(Width, Height, bits, straight.Select(g => max - g).ToArray(), alpha, TiffCompression.None, false, minIsWhite: true, extraSamples: 2),
            1 << 20, "white.tif", TestContext.Current.CancellationToken);
        RgbaImage associated = ImageDecoder.Decode(Write(Width, Height, bits, premultiplied, alpha, TiffCompression.Deflate, true, minIsWhite: false, extraSamples: 1),
            1 << 20, "associated.tif", TestContext.Current.CancellationToken);
        for (int i = 0; i < straight.Length; i++)
        {
            int Grey(RgbaImage image) => image.Wide is not null ? image.Wide[i].R : bits == 16 ? image.Pixels[i].R * 257 : image.Pixels[i].R;
            Assert.Equal(straight[i], Grey(white));
            // Premultiplied, then divided out: back within the rounding of the premultiplied value (max / alpha / 2).
            int expected = alpha[i] == 0 ? 0 : straight[i];
            Assert.True(Math.Abs(Grey(associated) - expected) <= (alpha[i] == 0 ? 0 : max / alpha[i] / 2 + 1),
                $"pixel {i}: straight {straight[i]}, alpha {alpha[i]}, got {Grey(associated)}");
        }
    }

    [Fact]
    public void Other_layouts_are_not_taken_for_grey_with_alpha()
    {
        int[] grey = new int[8 * 4], alpha = new int[8 * 4];
        byte[] file = Write(8, 4, 8, grey, alpha, TiffCompression.None, false, false, 2);
        Assert.NotNull(GreyAlphaTiff.Read(file));
        TiffFirstDirectory directory = TiffFirstDirectory.Read(file)!;
        Assert.Null(GreyAlphaTiff.Read(directory.Rewritten(new Dictionary<ushort, uint> { [SamplesPerPixel] = 1 }, [])));
        Assert.Null(GreyAlphaTiff.Read(directory.Rewritten(new Dictionary<ushort, uint> { [Photometric] = 2 }, [])));
        Assert.Null(GreyAlphaTiff.Read(directory.Rewritten(new Dictionary<ushort, uint[]> { [BitsPerSample] = [8, 16] }, [])));
        Assert.Null(GreyAlphaTiff.Read(directory.Rewritten(new Dictionary<ushort, uint> { [Predictor] = 3 }, [])));
        Assert.Null(GreyAlphaTiff.Read(directory.Rewritten(new Dictionary<ushort, uint> { [284] = 2 }, []))); // separate planes
    }

    /// <summary>A little-endian grey+alpha TIFF of the given samples (stored grey as given: MinIsWhite or premultiplied values are the caller's).</summary>
    [Fact]
    public void An_entry_whose_values_cannot_lie_in_the_file_is_left_out_here_too()
    {
        const int Width = 9, Height = 5;
        int[] grey = Enumerable.Range(0, Width * Height).Select(i => i * 5).ToArray(), alpha = grey.Select(g => 255 - g).ToArray();
        byte[] file = TiffFirstDirectory.Read(Write(Width, Height, 8, grey, alpha, TiffCompression.None, false, minIsWhite: false, extraSamples: 2))!
            .Rewritten(new Dictionary<ushort, uint> { [270] = 1 }, []);
        // ImageDescription as ASCII with a count of 4 billion (ImageSharp fails on the whole image for it).
        uint directory = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan((int)directory));
        int entry = Enumerable.Range(0, entries).Select(i => (int)directory + 2 + 12 * i).Single(at => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at)) == 270);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(entry + 2), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(entry + 4), uint.MaxValue);

        RgbaImage image = ImageDecoder.Decode(file, 1 << 20, "la.tif", TestContext.Current.CancellationToken);
        Assert.Equal((Width, Height), (image.Width, image.Height));
        Assert.Equal(new Rgba32(10, 10, 10, 245), image.Pixels[2]);
    }

    private static byte[] Write(int width, int height, int bits, int[] grey, int[] alpha, TiffCompression compression, bool predictor, bool minIsWhite, int extraSamples)
    {
        int max = (1 << bits) - 1;
        var stored = new int[2 * width * height];
        for (int y = 0; y < height; y++)
            for (int x = width - 1; x >= 0; x--)
            {
                int i = y * width + x;
                int g = grey[i], a = alpha[i];
                if (predictor && x > 0)
                {
                    g = (g - grey[i - 1]) & max;
                    a = (a - alpha[i - 1]) & max;
                }
                stored[2 * i] = g;
                stored[2 * i + 1] = a;
            }
        // The strips' bytes (16-bit samples little-endian, as the header "II" says) as an 8-bit grey image.
        byte[] bytes = bits == 8 ? stored.Select(v => (byte)v).ToArray() : stored.SelectMany(v => new[] { (byte)v, (byte)(v >> 8) }).ToArray();
        using var stream = new MemoryStream();
        using (var samples = Image.LoadPixelData<L8>(bytes.Select(b => new L8(b)).ToArray(), bytes.Length / height, height))
            samples.Save(stream, new TiffEncoder { Compression = compression, BitsPerPixel = TiffBitsPerPixel.Bit8 });
        TiffFirstDirectory directory = TiffFirstDirectory.Read(stream.ToArray())!;
        return directory.Rewritten(new Dictionary<ushort, uint[]>
        {
            [ImageWidth] = [(uint)width], [SamplesPerPixel] = [2], [BitsPerSample] = [(uint)bits, (uint)bits],
            [Photometric] = [minIsWhite ? 0u : 1u], [Predictor] = [predictor ? 2u : 1u], [ExtraSamples] = [(uint)extraSamples],
        }, []);
    }
}
