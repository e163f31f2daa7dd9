using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Corpus;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Quantization;

/// <summary>
/// Sources at 16 bits a channel (seeded 16-bit PNGs of every colour type): kept at that precision, each pixel mapped
/// to the entry nearest its own value, and every figure reported (PSNR, MSE, lossless, colours) that of the file
/// against the source's values, computed here independently (as perf/anchors/psnr.py does: value / 257, premultiplied
/// when some alpha is below full).
/// </summary>
public class SixteenBitSourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] ColorTypes = [0, 2, 4, 6];

    private static int Channels(byte colorType) => colorType switch { 0 => 1, 2 => 3, 4 => 2, _ => 4 };

    /// <summary>A 16-bit PNG of the given samples (big-endian, filter 0) and the RGBA pixels a reader must give.</summary>
    private static (byte[] Png, Rgba64[] Pixels) Png(int width, int height, byte colorType, ushort[] samples)
    {
        int channels = Channels(colorType);
        var raw = new List<byte>();
        for (int y = 0; y < height; y++)
        {
            raw.Add(0);
            for (int i = y * width * channels; i < (y + 1) * width * channels; i++)
            {
                raw.Add((byte)(samples[i] >> 8));
                raw.Add((byte)samples[i]);
            }
        }
        byte[] png = PngWriter.Assemble([("IHDR", PngWriter.Header(width, height, 16, colorType)), ("IDAT", PngWriter.Zlib(raw.ToArray())), ("IEND", [])]);
        var pixels = new Rgba64[width * height];
        for (int p = 0; p < pixels.Length; p++)
        {
            ReadOnlySpan<ushort> s = samples.AsSpan(p * channels, channels);
            pixels[p] = colorType switch
            {
                0 => new Rgba64(s[0], s[0], s[0], ushort.MaxValue),
                2 => new Rgba64(s[0], s[1], s[2], ushort.MaxValue),
                4 => new Rgba64(s[0], s[0], s[0], s[1]),
                _ => new Rgba64(s[0], s[1], s[2], s[3]),
            };
        }
        return (png, pixels);
    }

    /// <summary>
    /// Seeded samples: a smooth ramp with a little noise (many values per 8-bit step), a few exact levels, or values
    /// that are all multiples of 257 (8 bits hold them); alpha, where there is one, opaque, clear or anything between.
    /// </summary>
    private static ushort[] Samples(Random random, int width, int height, byte colorType, int style)
    {
        int channels = Channels(colorType);
        bool alpha = colorType is 4 or 6;
        var levels = Enumerable.Range(0, random.Next(2, 9)).Select(_ => (ushort)random.Next(65536)).ToArray();
        var samples = new ushort[width * height * channels];
        for (int p = 0; p < width * height; p++)
        {
            int x = p % width, y = p / width;
            for (int c = 0; c < channels; c++)
            {
                bool isAlpha = alpha && c == channels - 1;
                ushort v = style switch
                {
                    0 => (ushort)Math.Clamp((int)(65535.0 * (x + c * y) / (width + c * height)) + random.Next(-300, 301), 0, 65535),
                    1 => levels[random.Next(levels.Length)],
                    _ => (ushort)(257 * random.Next(256)),
                };
                if (isAlpha)
                {
                    int pick = random.Next(4);
                    v = pick == 0 ? (ushort)0 : pick == 1 ? ushort.MaxValue : style == 2 ? (ushort)(257 * random.Next(256)) : (ushort)random.Next(65536);
                }
                samples[p * channels + c] = v;
            }
        }
        return samples;
    }

    [Fact]
    public void Sixteen_bit_PNGs_decode_at_full_precision_and_to_their_rounding()
    {
        var random = new Random(1207);
        int wideFiles = 0;
        for (int file = 0; file < 120; file++)
        {
            byte colorType = ColorTypes[file % 4];
            int width = random.Next(1, 40), height = random.Next(1, 20), style = random.Next(3);
            (byte[] png, Rgba64[] expected) = Png(width, height, colorType, Samples(random, width, height, colorType, style));
            RgbaImage image = ImageDecoder.Decode(png, 1 << 20, "wide.png", Ct);
            bool eightBitsHold = expected.All(p => p.A == 0 || (p.R % 257 == 0 && p.G % 257 == 0 && p.B % 257 == 0 && p.A % 257 == 0));
            for (int i = 0; i < expected.Length; i++)
            {
                Rgba64 e = expected[i];
                Rgba32 rounded = new((byte)Math.Round(e.R / 257.0), (byte)Math.Round(e.G / 257.0), (byte)Math.Round(e.B / 257.0), (byte)Math.Round(e.A / 257.0));
                Assert.True(rounded == image.Pixels[i], $"file {file}, pixel {i}: {image.Pixels[i]}, expected {rounded} from {e}");
            }
            if (eightBitsHold)
            {
                Assert.Null(image.Wide);
                continue;
            }
            wideFiles++;
            Assert.NotNull(image.Wide);
            Assert.Equal(expected, image.Wide);
        }
        Assert.True(wideFiles > 40, $"{wideFiles} files needed 16 bits");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Sixteen_bit_TIFFs_decode_at_full_precision(int channels)
    {
        var random = new Random(1210 + channels);
        for (int file = 0; file < 20; file++)
        {
            int width = random.Next(1, 30), height = random.Next(1, 12);
            var samples = Enumerable.Range(0, width * height * channels).Select(_ => (ushort)random.Next(65536)).ToArray();
            RgbaImage image = ImageDecoder.Decode(Tiff16(width, height, channels, samples), 1 << 20, "wide.tif", Ct);
            Assert.NotNull(image.Wide);
            for (int p = 0; p < width * height; p++)
            {
                ushort r = samples[p * channels], g = samples[p * channels + (channels - 1) / 2], b = samples[p * channels + channels - 1];
                Assert.Equal(new Rgba64(r, g, b, ushort.MaxValue), image.Wide[p]);
            }
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(12)]
    [InlineData(14)]
    public void Grey_TIFFs_of_more_than_8_bits_keep_their_precision(int bits)
    {
        // Two samples one step apart at this depth round to one 8-bit value; a source that holds them is not lossless.
        ushort[] samples = [(ushort)(1 << (bits - 1)), (ushort)((1 << (bits - 1)) + 1), 100, (ushort)((1 << bits) - 1)];
        RgbaImage image = ImageDecoder.Decode(Tiff16(4, 1, 1, samples, bits), 1 << 20, "deep.tif", Ct);
        Assert.NotNull(image.Wide);
        Assert.Equal(image.Pixels[0], image.Pixels[1]);
        Assert.NotEqual(image.Wide[0], image.Wide[1]);
        Assert.Equal(ushort.MaxValue, image.Wide[3].R);
    }

    /// <summary>
    /// An uncompressed little-endian TIFF, one strip, grey (1 channel) or RGB (3), of <paramref name="bits"/> a sample:
    /// 16 stored as little-endian words, fewer packed most significant bit first, each row to a whole byte.
    /// </summary>
    private static byte[] Tiff16(int width, int height, int channels, ushort[] samples, int bits = 16)
    {
        var file = new List<byte>("II"u8.ToArray());
        void Put(int bytes, long value) { for (int i = 0; i < bytes; i++) file.Add((byte)(value >> (8 * i))); }
        byte[] packed = bits == 16 ? [] : Pack(width * channels, height, samples, bits);
        int dataBytes = bits == 16 ? samples.Length * 2 : packed.Length;
        long bitsAt = 8, dataAt = bitsAt + 8;
        long ifdAt = dataAt + dataBytes + (dataBytes & 1);
        Put(2, 42);
        Put(4, ifdAt);
        for (int i = 0; i < 4; i++) Put(2, bits);
        if (bits == 16) foreach (ushort v in samples) Put(2, v);
        else file.AddRange(packed);
        if ((dataBytes & 1) != 0) file.Add(0);
        var entries = new (int Tag, int Type, long Count, long Value)[]
        {
            (256, 4, 1, width), (257, 4, 1, height), (258, 3, channels, channels == 1 ? bits : bitsAt), (259, 3, 1, 1),
            (262, 3, 1, channels == 1 ? 1 : 2), (273, 4, 1, dataAt), (277, 3, 1, channels), (278, 4, 1, height), (279, 4, 1, dataBytes),
        };
        Put(2, entries.Length);
        foreach ((int tag, int type, long count, long value) in entries)
        {
            Put(2, tag);
            Put(2, type);
            Put(4, count);
            Put(4, value);
        }
        Put(4, 0);
        Assert.Equal(ifdAt + 2 + entries.Length * 12 + 4, file.Count);
        return file.ToArray();
    }

    private static byte[] Pack(int perRow, int rows, ushort[] samples, int bits)
    {
        var packed = new List<byte>();
        for (int r = 0; r < rows; r++)
        {
            int acc = 0, held = 0;
            for (int i = 0; i < perRow; i++)
            {
                acc = (acc << bits) | samples[r * perRow + i];
                held += bits;
                while (held >= 8)
                {
                    packed.Add((byte)(acc >> (held - 8)));
                    held -= 8;
                }
                acc &= (1 << held) - 1;
            }
            if (held > 0) packed.Add((byte)(acc << (8 - held)));
        }
        return packed.ToArray();
    }

    [Fact]
    public void Each_pixel_takes_the_entry_nearest_its_own_value_and_every_figure_is_the_files()
    {
        var random = new Random(1208);
        using var folder = new TempFolder();
        int wide = 0;
        for (int file = 0; file < 48; file++)
        {
            byte colorType = ColorTypes[file % 4];
            int width = random.Next(8, 80), height = random.Next(4, 40), style = random.Next(2);
            (byte[] png, Rgba64[] source) = Png(width, height, colorType, Samples(random, width, height, colorType, style));
            string input = folder.File($"in-{file}.png"), output = folder.File($"out-{file}.png");
            File.WriteAllBytes(input, png);
            int k = random.Next(2, 40);
            QuantizeResult result = ImageQuantizer.Quantize(input, output, new QuantizeOptions { K = k, Seed = (ulong)file }, cancellationToken: Ct);

            Rgba32[] written = Fixtures.ReadPixels(output);
            // The entries a visible pixel may take: the visible ones, and the transparent one too when some entry is translucent.
            Rgba32[] used = written.Select(p => p.A == 0 ? default : p).Distinct().ToArray();
            bool translucent = used.Any(e => e.A is > 0 and < 255);
            Rgba32[] candidates = used.Where(e => e.A != 0 || translucent).ToArray();
            bool alpha = source.Any(p => p.A != ushort.MaxValue);
            double sum = 0;
            for (int i = 0; i < source.Length; i++)
            {
                Rgba32 got = source[i].A == 0 ? default : written[i].A == 0 ? default : written[i];
                sum += Distance(source[i], got);
                if (source[i].A == 0) continue;
                double nearest = candidates.Min(e => Distance(source[i], e));
                // The search runs in float: a tie within its rounding may go either way.
                Assert.True(Distance(source[i], got) <= nearest + 1e-4 * (1 + nearest),
                    $"file {file}, pixel {i}: {source[i]} took {got} at {Distance(source[i], got)}, an entry is at {nearest}");
            }
            double mse = sum / ((alpha ? 4.0 : 3.0) * source.Length);
            double psnr = mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
            Assert.Equal(mse, result.Mse, 1e-9 * Math.Max(1, mse));
            Assert.Equal(psnr, result.Psnr, 1e-9 * Math.Max(1, Math.Abs(psnr)));
            Assert.Equal(alpha ? 4 : 3, result.MetricChannels);

            var colours = source.Select(p => p.A == 0 ? default : p).Distinct().Count();
            Assert.Equal(colours, result.SourceColors);
            bool needsWide = source.Any(p => p.A != 0 && (p.R % 257 != 0 || p.G % 257 != 0 || p.B % 257 != 0 || p.A % 257 != 0));
            if (needsWide)
            {
                wide++;
                Assert.False(result.Lossless, $"file {file}: a 16-bit source is never given back by an 8-bit palette");
            }
        }
        Assert.True(wide > 30, $"{wide} files needed 16 bits");
    }

    [Fact]
    public void Sixteen_bit_colours_are_counted_as_the_histogram_counts_colours()
    {
        var random = new Random(1212);
        var pixels = new Rgba64[5000];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = new Rgba64((ushort)random.Next(40), (ushort)random.Next(40), 7, (ushort)(random.Next(3) == 0 ? 0 : 65535));
        // Fully transparent pixels are one colour, whatever their colour channels hold.
        int expected = pixels.Where(p => p.A != 0).Distinct().Count() + 1;
        Assert.Equal(expected, Imaging.Histograms.WideColorCount.Distinct(pixels, 1 << 20));
        // Past the bound the count stops at one more than it.
        Assert.Equal(101, Imaging.Histograms.WideColorCount.Distinct(pixels, 100));
    }

    [Fact]
    public void A_sixteen_bit_source_fitted_on_colour_cells_says_so()
    {
        var random = new Random(1214);
        using var folder = new TempFolder();
        var samples = Enumerable.Range(0, 120 * 80 * 3).Select(_ => (ushort)random.Next(65536)).ToArray();
        (byte[] png, _) = Png(120, 80, 2, samples);
        string input = folder.File("cells.png");
        File.WriteAllBytes(input, png);
        QuantizeResult result = ImageQuantizer.Quantize(input, folder.File("cells-out.png"), new QuantizeOptions { K = 16, Seed = 1, MaxHistogramEntries = 2000 },
            cancellationToken: Ct);
        Assert.Contains("colour cells", result.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1180)]
    [InlineData(33000)]
    public void Dithering_keeps_the_sixteen_bit_mean(int value)
    {
        // A flat 16-bit grey between two 8-bit steps, dithered over the two entries around it: the mean of the dithered
        // pixels is the 16-bit value, not its 8-bit rounding (1000 is 3.891 steps, which rounds to 4).
        const int width = 64, height = 64;
        var wide = Enumerable.Repeat(new Rgba64((ushort)value, (ushort)value, (ushort)value, ushort.MaxValue), width * height).ToArray();
        RgbaImage image = RgbaImage.FromWide(width, height, wide);
        Assert.NotNull(image.Wide);
        double level = value / 257.0;
        byte below = (byte)Math.Floor(level), above = (byte)(below + 2);
        Rgba32[] palette = [new(below, below, below, 255), new(above, above, above, 255)];
        byte[] indices = Imaging.Palettes.FloydSteinbergDither.Map(image, palette, Ct);
        double mean = indices.Average(i => (double)palette[i].R);
        Assert.True(Math.Abs(mean - level) < 0.01, $"mean {mean:F4}, the source {level:F4}, its rounding {Math.Round(level)}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(128)]
    public void A_pixel_whose_alpha_rounds_to_clear_stays_clear(int alpha)
    {
        // Opaque red, clear, and a soft edge whose 16-bit alpha rounds to 0: the histogram counts the edge as clear,
        // so the palette is red and transparent, and the edge must take the transparent entry, not opaque red.
        using var folder = new TempFolder();
        ushort[] red = [65535, 0, 0, 65535], clear = [0, 0, 0, 0], edge = [0, 0, 0, (ushort)alpha];
        var samples = Enumerable.Range(0, 48).SelectMany(i => (i % 3) switch { 0 => red, 1 => clear, _ => edge }).ToArray();
        (byte[] png, Rgba64[] source) = Png(12, 4, 6, samples);
        string input = folder.File("edge.png"), output = folder.File("edge-out.png");
        File.WriteAllBytes(input, png);
        QuantizeResult result = ImageQuantizer.Quantize(input, output, new QuantizeOptions { K = 2, Seed = 1 }, cancellationToken: Ct);
        Rgba32[] written = Fixtures.ReadPixels(output);
        for (int i = 2; i < written.Length; i += 3) Assert.True(written[i].A == 0, $"edge pixel {i} came out {written[i]}");
        Assert.True(result.Psnr > 60, $"PSNR {result.Psnr}");
        // The same with dithering.
        Quantize(input, folder.File("edge-dithered.png"), DitherMode.FloydSteinberg);
        Rgba32[] dithered = Fixtures.ReadPixels(folder.File("edge-dithered.png"));
        for (int i = 2; i < dithered.Length; i += 3) Assert.True(dithered[i].A == 0, $"dithered edge pixel {i} came out {dithered[i]}");

        static void Quantize(string input, string output, DitherMode dither) =>
            ImageQuantizer.Quantize(input, output, new QuantizeOptions { K = 2, Seed = 1, Dither = dither }, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public void A_few_sixteen_bit_levels_are_not_reported_lossless()
    {
        // Two levels round to one 8-bit value: the palette holds every rounded colour, yet the file is not the source.
        using var folder = new TempFolder();
        ushort[] levels = [1000, 1100, 30000, 60000];
        var samples = Enumerable.Range(0, 64).Select(i => levels[i % 4]).ToArray();
        (byte[] png, _) = Png(8, 8, 0, samples);
        string input = folder.File("levels.png");
        File.WriteAllBytes(input, png);
        QuantizeResult result = ImageQuantizer.Quantize(input, folder.File("levels-out.png"), new QuantizeOptions { K = 16, Seed = 1 }, cancellationToken: Ct);
        Assert.False(result.Lossless);
        Assert.Equal(4, result.SourceColors);
        Assert.Equal(3, result.ColorsUsed);
        Assert.True(double.IsFinite(result.Psnr) && result.Mse > 0, $"PSNR {result.Psnr}");
    }

    [Fact]
    public void A_PSNR_floor_holds_against_the_sixteen_bit_values()
    {
        var random = new Random(1209);
        using var folder = new TempFolder();
        int held = 0;
        for (int file = 0; file < 12; file++)
        {
            byte colorType = ColorTypes[file % 4];
            int width = random.Next(20, 60), height = random.Next(10, 30);
            (byte[] png, Rgba64[] source) = Png(width, height, colorType, Samples(random, width, height, colorType, 0));
            string input = folder.File($"floor-{file}.png"), output = folder.File($"floor-{file}-out.png");
            File.WriteAllBytes(input, png);
            double floor = 30 + random.NextDouble() * 12;
            QuantizeResult result;
            try
            {
                result = ImageQuantizer.Quantize(input, output, new QuantizeOptions { K = 256, Seed = 1, MinPsnr = floor }, cancellationToken: Ct);
            }
            catch (QualityFloorException)
            {
                continue;
            }
            Rgba32[] written = Fixtures.ReadPixels(output);
            bool alpha = source.Any(p => p.A != ushort.MaxValue);
            double sum = 0;
            for (int i = 0; i < source.Length; i++) sum += Distance(source[i], source[i].A == 0 || written[i].A == 0 ? default : written[i]);
            double psnr = 10 * Math.Log10(255.0 * 255.0 * (alpha ? 4.0 : 3.0) * source.Length / sum);
            Assert.True(psnr >= floor, $"file {file}: the file's PSNR {psnr} is under the floor {floor} (reported {result.Psnr})");
            held++;
        }
        Assert.True(held >= 6, $"only {held} of 12 floors were reachable");
    }

    /// <summary>perf/anchors/psnr.py's distance: value / 257, colour premultiplied by alpha / 255, alpha counted.</summary>
    private static double Distance(Rgba64 x, Rgba32 y)
    {
        double xa = x.A / 257.0, ya = y.A;
        double dr = x.R / 257.0 * xa / 255 - y.R * ya / 255, dg = x.G / 257.0 * xa / 255 - y.G * ya / 255;
        double db = x.B / 257.0 * xa / 255 - y.B * ya / 255, da = xa - ya;
        return dr * dr + dg * dg + db * db + da * da;
    }
}
