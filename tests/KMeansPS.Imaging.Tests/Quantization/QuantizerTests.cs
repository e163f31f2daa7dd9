using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Gif;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Quantization;

public class QuantizerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void An_image_with_K_or_fewer_colours_is_kept_exactly()
    {
        var colors = new Rgba32[] { new(255, 0, 0, 255), new(0, 255, 0, 255), new(0, 0, 255, 255), new(10, 20, 30, 128), new(0, 0, 0, 0) };
        RgbaImage image = Fixtures.Cycling(31, 9, colors);
        foreach (int k in new[] { 5, 16, 256 })
        {
            QuantizedImage q = ImageQuantizer.Quantize(image, new QuantizeOptions { K = k, Seed = 1 }, cancellationToken: Ct);
            Assert.True(q.Fit.Lossless);
            Assert.Equal(5, q.Palette.Length);
            Assert.Equal(image.Pixels, q.ToPixels());
        }
        QuantizedImage lossy = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 4, Seed = 1 }, cancellationToken: Ct);
        Assert.False(lossy.Fit.Lossless);
        Assert.True(lossy.Palette.Length <= 4);
    }

    [Fact]
    public void Single_colour_and_fully_transparent_images_become_one_entry_palettes()
    {
        using var folder = new TempFolder();
        foreach (Rgba32 only in new Rgba32[] { new(12, 34, 56, 255), new(90, 80, 70, 0) })
        {
            var image = new RgbaImage(9, 5, Enumerable.Repeat(only, 45).ToArray());
            QuantizedImage q = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 2, Seed = 1 }, cancellationToken: Ct);
            Assert.True(q.Fit.Lossless);
            Rgba32 expected = only.A == 0 ? default : only;
            Assert.Equal([expected], q.Palette);
            string path = folder.File($"one-{only.A}.png");
            using (FileStream stream = File.Create(path)) q.WritePng(stream, cancellationToken: Ct);
            List<PngChunk> chunks = PngChunk.Parse(File.ReadAllBytes(path));
            Assert.Equal(1, chunks[0].Data[8]);
            Assert.Equal(only.A == 0 ? ["IHDR", "PLTE", "tRNS", "IDAT", "IEND"] : ["IHDR", "PLTE", "IDAT", "IEND"], chunks.Select(c => c.Type));
            Assert.All(Fixtures.ReadPixels(path), p => Assert.Equal(expected, p.A == 0 ? default : p));
        }
    }

    [Theory]
    [InlineData(nameof(QuantizeColorSpace.Rgb))]
    [InlineData(nameof(QuantizeColorSpace.OkLab))]
    public void Fully_transparent_pixels_stay_exactly_transparent(string spaceName)
    {
        // By name: the library's enums are internal, and a public test method cannot take one.
        var space = Enum.Parse<QuantizeColorSpace>(spaceName);
        RgbaImage image = Fixtures.WithTransparency(48, 40);
        foreach (DitherMode dither in new[] { DitherMode.None, DitherMode.FloydSteinberg })
        {
            QuantizedImage q = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 8, ColorSpace = space, Dither = dither, Seed = 3 }, cancellationToken: Ct);
            Rgba32[] output = q.ToPixels();
            Assert.True(q.Palette.Length <= 8);
            for (int i = 0; i < output.Length; i++)
                if (image.Pixels[i].A == 0) Assert.Equal(default, output[i]);
            // Non-opaque entries come first, and the transparent entry is (0,0,0,0).
            Assert.Equal(default, q.Palette[0]);
            int firstOpaque = Array.FindIndex(q.Palette, p => p.A == 255);
            Assert.All(q.Palette.Skip(firstOpaque), p => Assert.Equal(255, p.A));
        }
    }

    [Fact]
    public void Quantizing_is_deterministic_for_a_seed_and_dithering_is_repeatable()
    {
        RgbaImage image = Fixtures.Gradient(64, 50);
        foreach (DitherMode dither in new[] { DitherMode.None, DitherMode.FloydSteinberg })
        {
            var options = new QuantizeOptions { K = 6, Dither = dither, Seed = 42 };
            QuantizedImage a = ImageQuantizer.Quantize(image, options, cancellationToken: Ct);
            QuantizedImage b = ImageQuantizer.Quantize(image, options, cancellationToken: Ct);
            Assert.Equal(a.Palette, b.Palette);
            Assert.Equal(a.Indices, b.Indices);
            Assert.Equal(42UL, a.Fit.Seed);
        }
    }

    [Fact]
    public void Without_dithering_every_pixel_takes_its_nearest_palette_entry()
    {
        RgbaImage image = Fixtures.WithTransparency(50, 30);
        // Without run merges (RunErrorShare 0), which may give a pixel its left neighbour's entry (RunExtensionTests).
        QuantizedImage q = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 12, Seed = 5, RunErrorShare = 0 }, cancellationToken: Ct);
        Rgba32[] output = q.ToPixels();
        for (int i = 0; i < output.Length; i++)
        {
            if (image.Pixels[i].A == 0) continue;
            double chosen = Distance(image.Pixels[i], output[i]);
            foreach (Rgba32 entry in q.Palette) Assert.True(chosen <= Distance(image.Pixels[i], entry) + 1e-3);
        }
    }

    [Fact]
    public void Dithering_preserves_the_mean_colour_better_than_nearest_mapping()
    {
        // A smooth grey ramp with 2 colours: dithering keeps local averages, nearest mapping bands.
        var pixels = new Rgba32[64 * 16];
        for (int i = 0; i < pixels.Length; i++) { byte g = (byte)(i % 64 * 4); pixels[i] = new Rgba32(g, g, g, 255); }
        var image = new RgbaImage(64, 16, pixels);
        double MeanError(DitherMode dither)
        {
            QuantizedImage q = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 2, Dither = dither, Seed = 1 }, cancellationToken: Ct);
            Rgba32[] output = q.ToPixels();
            int low = Math.Min(q.Palette[0].R, q.Palette[1].R), high = Math.Max(q.Palette[0].R, q.Palette[1].R);
            double error = 0;
            int blocks = 0;
            for (int x = 0; x < 64; x += 8)
            {
                double a = 0, b = 0;
                for (int y = 0; y < 16; y++) for (int dx = 0; dx < 8; dx++) { a += pixels[y * 64 + x + dx].R; b += output[y * 64 + x + dx].R; }
                // Only block means the two entries can reproduce by mixing.
                if (a / 128 < low || a / 128 > high) continue;
                error += Math.Abs(a - b) / 128;
                blocks++;
            }
            Assert.True(blocks >= 3);
            return error;
        }
        Assert.True(MeanError(DitherMode.FloydSteinberg) < MeanError(DitherMode.None) / 2);
    }

    [Fact]
    public void OkLab_palette_entries_are_valid_and_quality_is_close_to_rgb()
    {
        RgbaImage image = Fixtures.Gradient(80, 60);
        double Psnr(QuantizeColorSpace space)
        {
            QuantizedImage q = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 16, ColorSpace = space, Seed = 9 }, cancellationToken: Ct);
            Assert.InRange(q.Palette.Length, 2, 16);
            return ImageMetrics.Compute(image, q.ToPixels(), cancellationToken: Ct).Psnr;
        }
        double rgb = Psnr(QuantizeColorSpace.Rgb), oklab = Psnr(QuantizeColorSpace.OkLab);
        Assert.InRange(oklab, rgb - 3, rgb + 0.001);
    }

    [Fact]
    public void Quantize_writes_a_palette_png_and_reports_what_it_did()
    {
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        RgbaImage image = Fixtures.Gradient(70, 45);
        using (Image<Rgba32> img = Fixtures.ToImage(image)) img.Save(source, new PngEncoder());
        string destination = folder.File("out.png");
        string comparison = folder.File("cmp.png");
        var stages = new List<QuantizeStage>();
        QuantizeResult r = ImageQuantizer.Quantize(source, destination,
            new QuantizeOptions { K = 16, Seed = 7, ComparisonPath = comparison }, new SyncProgress(p => stages.Add(p.Stage)), Ct);

        Assert.Equal(Path.GetFullPath(source), r.Source);
        Assert.Equal(Path.GetFullPath(destination), r.Destination);
        Assert.Equal((70, 45, 16), (r.Width, r.Height, r.K));
        Assert.InRange(r.ColorsUsed, 2, 16);
        Assert.False(r.Lossless);
        Assert.True(r.Iterations >= 1);
        Assert.Equal(7UL, r.Seed);
        Assert.Equal(new FileInfo(source).Length, r.OriginalBytes);
        Assert.Equal(new FileInfo(destination).Length, r.CompressedBytes);
        Assert.Equal((double)r.OriginalBytes / r.CompressedBytes, r.CompressionRatio, 12);
        Assert.Equal(3, r.MetricChannels);

        Rgba32[] written = Fixtures.ReadPixels(destination);
        ImageMetrics m = ImageMetrics.Compute(image, written, cancellationToken: Ct);
        Assert.Equal(m.Mse, r.Mse, 9);
        Assert.Equal(m.Psnr, r.Psnr, 9);
        Assert.Equal(m.Ssim, r.Ssim, 9);
        Assert.InRange(r.Psnr, 20, 60);
        Assert.Contains(PngChunk.Parse(File.ReadAllBytes(destination))[0].Data[8], new byte[] { (byte)PalettePngEncoder.BitDepthFor(r.ColorsUsed), 8 });

        Assert.Equal(Path.GetFullPath(comparison), r.ComparisonPath);
        using (Image<Rgba32> figure = Image.Load<Rgba32>(comparison))
        {
            Assert.Equal(3 * 70 + 8, figure.Width);
            Assert.Equal(45, figure.Height);
            Assert.Equal(image.Pixels[0], figure[0, 0]);
            Assert.Equal(written[0], figure[74, 0]);
        }
        Assert.Equal([QuantizeStage.Decoding, QuantizeStage.Histogram, QuantizeStage.Clustering, QuantizeStage.Mapping,
            QuantizeStage.Encoding, QuantizeStage.Metrics, QuantizeStage.Comparison, QuantizeStage.Completed], stages.Distinct());
        Assert.Equal(["cmp.png", "in.png", "out.png"], folder.FileNames());
    }

    [Theory]
    [InlineData(false, nameof(ImageOutputFormat.Png))]
    [InlineData(true, nameof(ImageOutputFormat.Png))]
    [InlineData(true, nameof(ImageOutputFormat.Gif))]
    public void The_error_known_from_the_histogram_is_the_error_over_the_pixels(bool alpha, string formatName)
    {
        var format = Enum.Parse<ImageOutputFormat>(formatName);
        RgbaImage image = alpha ? Fixtures.WithTransparency(120, 77) : Fixtures.Gradient(120, 77);
        QuantizedImage quantized = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 12, Seed = 3, OutputFormat = format }, cancellationToken: Ct);
        ImageMetrics fromPixels = ImageMetrics.Compute(image, quantized.ToPixels(), cancellationToken: Ct);
        if (format == ImageOutputFormat.Gif)
        {
            // GIF makes alpha binary first: the histogram is not of the original colours, so nothing is claimed.
            Assert.Null(quantized.SquaredErrorOfSource);
            return;
        }
        Assert.NotNull(quantized.SquaredErrorOfSource);
        double mse = quantized.SquaredErrorOfSource!.Value / (fromPixels.Channels * (double)image.PixelCount);
        Assert.True(mse > 0);
        // Opaque: sums of integers, exact. With alpha: the same float terms summed in another order.
        if (alpha) Assert.Equal(fromPixels.Mse, mse, 1e-9 * fromPixels.Mse);
        else Assert.Equal(fromPixels.Mse, mse);
        ImageMetrics reported = ImageMetrics.Compute(image, quantized, quantized.SquaredErrorOfSource, null, Ct);
        Assert.Equal(fromPixels.Ssim, reported.Ssim, 12);
        Assert.Equal(mse, reported.Mse);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ordering_the_palette_from_the_histogram_equals_counting_the_mapped_pixels(bool alpha)
    {
        RgbaImage image = alpha ? Fixtures.WithTransparency(101, 67) : Fixtures.Gradient(101, 67);
        // The histogram's labels as they are (no run merges, which RunExtensionTests covers).
        QuantizedImage quantized = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 20, Seed = 5, RunErrorShare = 0 }, cancellationToken: Ct);
        ColorHistogram histogram = ColorHistogram.Build(image.Pixels.AsSpan(), true, Ct);
        var indices = new byte[image.Pixels.Length];
        histogram.MapPixels(image.Pixels, quantized.Fit.ColorToEntry, indices, Ct);
        Rgba32[] palette = PaletteOrdering.CompactAndSort(quantized.Fit.Entries, indices);
        Assert.Equal(palette, quantized.Palette);
        Assert.Equal(indices, quantized.Indices);
    }

    [Fact]
    public void Dithered_images_measure_their_error_over_the_pixels()
    {
        RgbaImage image = Fixtures.Gradient(64, 40);
        QuantizedImage quantized = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 8, Seed = 3, Dither = DitherMode.FloydSteinberg }, cancellationToken: Ct);
        Assert.Null(quantized.SquaredErrorOfSource);
    }

    [Fact]
    public void Large_images_are_scaled_down_in_the_comparison_figure()
    {
        RgbaImage image = Fixtures.Gradient(1000, 300);
        using Image<Rgba32> figure = ComparisonFigure.Render(image, image.Pixels, 1600, Ct);
        Assert.True(figure.Width <= 1600);
        Assert.Equal(Math.Round(300 * (1600 - 8) / 3000.0), figure.Height, 0);
        // The difference panel of identical images is black.
        Assert.Equal(new Rgba32(0, 0, 0, 255), figure[figure.Width - 5, figure.Height / 2]);
    }

    [Fact]
    public void Gif_output_round_trips_pixel_exact()
    {
        using var folder = new TempFolder();
        foreach (RgbaImage image in new[] { Fixtures.Gradient(40, 30), Fixtures.WithTransparency(40, 30) })
        {
            string source = folder.File("in.png");
            using (Image<Rgba32> img = Fixtures.ToImage(image)) img.Save(source, new PngEncoder());
            string destination = folder.File("out.gif");
            QuantizeResult r = ImageQuantizer.Quantize(source, destination,
                new QuantizeOptions { K = 32, Seed = 2, OutputFormat = ImageOutputFormat.Gif, Overwrite = true }, cancellationToken: Ct);
            Assert.Equal(ImageOutputFormat.Gif, r.Format);

            // The same pixels as the in-memory result (GIF alpha is on/off at 128).
            QuantizedImage q = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 32, Seed = 2, OutputFormat = ImageOutputFormat.Gif, Overwrite = true }, cancellationToken: Ct);
            Rgba32[] expected = q.ToPixels();
            Rgba32[] decoded = Fixtures.ReadPixels(destination);
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i].A == 0) Assert.Equal(0, decoded[i].A);
                else Assert.Equal(expected[i], decoded[i]);
            }
            Assert.All(q.Palette, p => Assert.True(p.A is 0 or 255));
        }
    }

    [Fact]
    public void Gif_output_of_translucent_pixels_is_not_lossless_and_counts_the_sources_colours()
    {
        using var folder = new TempFolder();
        // Four colours: two opaque, one half transparent, one fully transparent; then the same without the half one.
        foreach ((Rgba32 third, bool lossless) in new[] { (new Rgba32(0, 0, 255, 128), false), (new Rgba32(0, 0, 255, 255), true) })
        {
            Rgba32[] pixels = Enumerable.Range(0, 64).Select(i => (i % 4) switch
            {
                0 => new Rgba32(255, 0, 0, 255),
                1 => new Rgba32(0, 255, 0, 255),
                2 => third,
                _ => new Rgba32(0, 0, 0, 0),
            }).ToArray();
            string source = folder.File($"in-{lossless}.png");
            using (Image<Rgba32> img = Fixtures.ToImage(new RgbaImage(8, 8, pixels))) img.Save(source, new PngEncoder());
            QuantizeResult r = ImageQuantizer.Quantize(source, folder.File($"out-{lossless}.gif"),
                new QuantizeOptions { K = 16, Seed = 1, OutputFormat = ImageOutputFormat.Gif, Overwrite = true }, cancellationToken: Ct);
            Assert.Equal(lossless, r.Lossless);
            Assert.Equal(lossless, double.IsPositiveInfinity(r.Psnr));
            Assert.Equal(4, r.SourceColors);
        }
    }

    [Fact]
    public void Gif_writer_refuses_partial_alpha()
    {
        var palette = new Rgba32[] { new(1, 2, 3, 128), new(4, 5, 6, 255) };
        Assert.Throws<ArgumentException>(() => GifPaletteWriter.Write(new MemoryStream(), 2, 1, new byte[] { 0, 1 }, palette, Ct));
    }

    [Fact]
    public void The_source_is_never_the_destination()
    {
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        using (Image<Rgba32> img = Fixtures.ToImage(Fixtures.Gradient(20, 20))) img.Save(source, new PngEncoder());
        byte[] before = File.ReadAllBytes(source);
        Assert.Throws<KMeansPS.Imaging.IO.OutputIsSourceException>(() => ImageQuantizer.Quantize(source, Path.Combine(folder.Path, ".", "in.png"), new QuantizeOptions(), cancellationToken: Ct));
        Assert.Throws<KMeansPS.Imaging.IO.OutputIsSourceException>(() => ImageQuantizer.Quantize(source, folder.File("out.png"), new QuantizeOptions { ComparisonPath = source }, cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => ImageQuantizer.Quantize(source, folder.File("out.png"), new QuantizeOptions { ComparisonPath = folder.File("out.png") }, cancellationToken: Ct));
        Assert.Equal(before, File.ReadAllBytes(source));
        Assert.Equal(["in.png"], folder.FileNames());
    }

    [Fact]
    public void Quantize_maps_limits_and_bad_files_to_their_exceptions_and_writes_nothing()
    {
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        using (Image<Rgba32> img = Fixtures.ToImage(Fixtures.Gradient(20, 20))) img.Save(source, new PngEncoder());
        string text = folder.File("notes.png");
        File.WriteAllText(text, "not an image");
        Assert.Throws<ImageLimitExceededException>(() => ImageQuantizer.Quantize(source, folder.File("a.png"), new QuantizeOptions { MaxPixels = 399 }, cancellationToken: Ct));
        Assert.Throws<InvalidImageException>(() => ImageQuantizer.Quantize(text, folder.File("b.png"), new QuantizeOptions(), cancellationToken: Ct));
        Assert.Equal(["in.png", "notes.png"], folder.FileNames());
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizeOptions { K = 1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizeOptions { K = 257 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizeOptions { Tolerance = double.NaN }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizeOptions { MaxPixels = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizeOptions { MaxDegreeOfParallelism = 0 }.Validate());
        new QuantizeOptions { K = 2 }.Validate();
        new QuantizeOptions { K = 256 }.Validate();
    }

    private static double Distance(Rgba32 a, Rgba32 b)
    {
        double sa = a.A / 255.0, sb = b.A / 255.0;
        double dr = a.R * sa - b.R * sb, dg = a.G * sa - b.G * sb, db = a.B * sa - b.B * sb, da = a.A - b.A;
        return dr * dr + dg * dg + db * db + da * da;
    }
}
