using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Quantization;
using KMeansPS.Imaging.Tests.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Palettes;

public class RunExtensionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Noisy photo-like pictures, translucent screenshots and a smooth gradient, seeded.</summary>
    public static TheoryData<string, int> Images() => new()
    {
        { "photo", 1 }, { "photo", 2 }, { "photo", 3 },
        { "screenshot", 4 }, { "screenshot", 5 },
        { "gradient", 6 },
    };

    private static RgbaImage Make(string kind, int seed) => kind switch
    {
        "photo" => JpegSamples.Photo(131 + seed * 13, 67 + seed * 7, seed),
        "screenshot" => TranslucentPaletteTests.Screenshot(seed, 200, 120, 3, 160 + seed * 10),
        _ => Fixtures.Gradient(201, 63, seed),
    };

    private static QuantizedImage Quantize(RgbaImage image, int k, double share, int threads = 2, double? minPsnr = null) =>
        ImageQuantizer.Quantize(image, new QuantizeOptions
        {
            K = k, Seed = 7, MaxDegreeOfParallelism = threads, RunErrorShare = share, MinPsnr = minPsnr,
        }, null, Ct);

    /// <summary>
    /// A palette without a fit (the tests also run under emulation, where fits are slow): every n-th distinct pixel
    /// colour, plus the transparent entry when the image has transparency; and the nearest mapping to it.
    /// </summary>
    private static (Rgba32[] Palette, byte[] Indices) Sampled(RgbaImage image, int count)
    {
        var colors = new List<Rgba32>();
        if (Array.Exists(image.Pixels, c => c.A == 0)) colors.Add(default);
        int step = Math.Max(1, image.Pixels.Length / count);
        for (int p = 0; p < image.Pixels.Length && colors.Count < count; p += step)
            if (image.Pixels[p].A != 0 && !colors.Contains(image.Pixels[p])) colors.Add(image.Pixels[p]);
        Rgba32[] palette = colors.ToArray();
        var indices = new byte[image.Pixels.Length];
        NearestPixelMapper.Map(image.Pixels, palette, indices, 1, Ct);
        return (palette, indices);
    }

    private static double RowError(RgbaImage image, byte[] indices, Rgba32[] palette, int y)
    {
        double sum = 0;
        for (int p = y * image.Width; p < (y + 1) * image.Width; p++) sum += MetricColor.SquaredDistance(image.Pixels[p], palette[indices[p]]);
        return sum;
    }

    private static int IndexChanges(byte[] indices, int width, int y)
    {
        int changes = 0;
        for (int x = 1; x < width; x++)
            if (indices[y * width + x] != indices[y * width + x - 1]) changes++;
        return changes;
    }

    private static long PngBytes(RgbaImage image, byte[] indices, Rgba32[] palette)
    {
        using var stream = new MemoryStream();
        PalettePngEncoder.Write(stream, image.Width, image.Height, indices, palette, 1, Ct);
        return stream.Length;
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Adds_at_most_its_share_of_each_rows_error_and_never_more_index_changes(string kind, int seed)
    {
        RgbaImage image = Make(kind, seed);
        foreach (int k in new[] { 8, 32 })
        {
            (Rgba32[] palette, byte[] nearest) = Sampled(image, k);
            byte[] runs = (byte[])nearest.Clone();
            double added = RunExtension.Extend(image, runs, palette, RunExtension.DefaultErrorShare, null, 2, Ct);
            double total = 0;
            for (int y = 0; y < image.Height; y++)
            {
                double before = RowError(image, nearest, palette, y), after = RowError(image, runs, palette, y);
                total += after - before;
                Assert.True(after <= before * (1 + RunExtension.DefaultErrorShare) + 1e-9, $"row {y}: {after} against {before}");
                Assert.True(IndexChanges(runs, image.Width, y) <= IndexChanges(nearest, image.Width, y), $"row {y}");
                for (int p = y * image.Width; p < (y + 1) * image.Width; p++)
                {
                    // Transparent pixels keep their entry, and visible ones never take a transparent one.
                    if (image.Pixels[p].A == 0) Assert.Equal(nearest[p], runs[p]);
                    else if (palette[nearest[p]].A != 0) Assert.NotEqual(0, palette[runs[p]].A);
                }
            }
            Assert.Equal(total, added, Math.Abs(total) * 1e-9 + 1e-6);
        }
    }

    [Theory]
    [InlineData("photo", 1)]
    [InlineData("screenshot", 4)]
    [InlineData("gradient", 6)]
    public void The_reported_error_is_the_pixels_error(string kind, int seed)
    {
        RgbaImage image = Make(kind, seed);
        QuantizedImage nearest = Quantize(image, 12, 0), runs = Quantize(image, 12, RunExtension.DefaultErrorShare);
        Assert.Equal(nearest.Palette, runs.Palette); // the same fit; only the mapping differs
        Assert.NotNull(runs.SquaredErrorOfSource);
        double measured = ImageMetrics.SquaredError(image, runs.Indices, runs.Palette, Ct);
        Assert.Equal(measured, runs.SquaredErrorOfSource!.Value, measured * 1e-9 + 1e-6);
    }

    [Fact]
    public void Makes_noisy_pictures_smaller_and_changes_some_pixels()
    {
        long nearestBytes = 0, runBytes = 0;
        foreach (int seed in new[] { 1, 2, 3 })
        {
            RgbaImage image = JpegSamples.Photo(320, 200, seed);
            (Rgba32[] palette, byte[] nearest) = Sampled(image, 16);
            byte[] runs = (byte[])nearest.Clone();
            RunExtension.Extend(image, runs, palette, RunExtension.DefaultErrorShare, null, 2, Ct);
            Assert.NotEqual(nearest, runs);
            nearestBytes += PngBytes(image, nearest, palette);
            runBytes += PngBytes(image, runs, palette);
        }
        Assert.True(runBytes < nearestBytes * 0.98, $"{runBytes} against {nearestBytes}");
    }

    [Fact]
    public void Leaves_pixels_that_repeat_the_pixel_above_as_they_are()
    {
        // Narrow stripes of one entry in a wider one, every row the same indices. The first row's pixels are exact
        // (no error, no budget); the others are a little off, so their budget would merge the stripes, but each of
        // their pixels repeats the one above. 2,000 wide: bands of 32 rows, so band starts are crossed too.
        const int width = 2000, height = 70;
        Rgba32[] palette = [new(100, 100, 100, 255), new(106, 100, 100, 255)];
        var pixels = new Rgba32[width * height];
        var indices = new byte[pixels.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int e = x % 6 == 0 ? 0 : 1, p = y * width + x;
                indices[p] = (byte)e;
                pixels[p] = y == 0 ? palette[e] : new Rgba32((byte)(palette[e].R + (e == 0 ? 1 : -1)), 100, 100, 255);
            }
        }
        var image = new RgbaImage(width, height, pixels);
        byte[] before = (byte[])indices.Clone();
        Assert.Equal(0, RunExtension.Extend(image, indices, palette, 1.0, null, 2, Ct));
        Assert.Equal(before, indices);

        // The same noisy row alone, with nothing above it, does merge stripes: the budget allowed it.
        var alone = new RgbaImage(width, 1, pixels.AsSpan(width, width).ToArray());
        byte[] row = before.AsSpan(width, width).ToArray();
        Assert.True(RunExtension.Extend(alone, row, palette, 1.0, null, 2, Ct) > 0);
        Assert.NotEqual(before.AsSpan(width, width).ToArray(), row);
    }

    [Fact]
    public void Merges_a_cheap_speckle_and_keeps_a_dear_one()
    {
        // One row: greys a little off their entry, a speckle nearer another grey (12 more to take grey, for two run
        // boundaries), a red one (30,000 more); a budget of half the row's error (28) allows the first only.
        Rgba32 grey = new(100, 100, 100, 255), light = new(106, 100, 100, 255), red = new(200, 0, 0, 255);
        Rgba32 offGrey = new(102, 100, 100, 255), nearLight = new(104, 100, 100, 255);
        Rgba32[] palette = [grey, light, red];
        Rgba32[] pixels = [offGrey, offGrey, nearLight, offGrey, offGrey, red, offGrey, offGrey];
        var image = new RgbaImage(pixels.Length, 1, pixels);
        byte[] indices = [0, 0, 1, 0, 0, 2, 0, 0];
        double added = RunExtension.Extend(image, indices, palette, 0.5, null, 1, Ct);
        Assert.Equal([0, 0, 0, 0, 0, 2, 0, 0], indices);
        Assert.Equal(16 - 4, added);
    }

    [Fact]
    public void A_run_whose_left_neighbour_merged_is_weighed_against_the_new_neighbour()
    {
        // Entries A, B, C; indices A A B C A A. The B speckle joins A first; then the C pixel, whose cost was
        // first taken against B, must be costed again against A, where it now stands (the error added says which).
        Rgba32[] palette = [new(100, 100, 100, 255), new(110, 100, 100, 255), new(160, 100, 100, 255)];
        Rgba32[] pixels = [new(102, 100, 100, 255), new(102, 100, 100, 255), new(106, 100, 100, 255), new(104, 100, 100, 255),
            new(102, 100, 100, 255), new(102, 100, 100, 255)];
        var image = new RgbaImage(pixels.Length, 1, pixels);
        byte[] indices = [0, 0, 1, 2, 0, 0];
        double before = 0;
        for (int x = 0; x < pixels.Length; x++) before += MetricColor.SquaredDistance(pixels[x], palette[indices[x]]);
        double added = RunExtension.Extend(image, indices, palette, 1.0, null, 1, Ct);
        double after = 0;
        for (int x = 0; x < pixels.Length; x++) after += MetricColor.SquaredDistance(pixels[x], palette[indices[x]]);
        Assert.Equal([0, 0, 0, 0, 0, 0], indices);
        Assert.Equal(after - before, added, 1e-9); // 20 - 3,120; against B it would have been 20 - 3,100
    }

    [Fact]
    public void Gives_the_same_indices_on_any_number_of_threads()
    {
        RgbaImage image = JpegSamples.Photo(700, 300, 5); // bands of 93 rows: four of them
        (Rgba32[] palette, byte[] nearest) = Sampled(image, 32);
        byte[] one = (byte[])nearest.Clone(), two = (byte[])nearest.Clone(), eight = (byte[])nearest.Clone();
        double addedOne = RunExtension.Extend(image, one, palette, RunExtension.DefaultErrorShare, null, 1, Ct);
        double addedTwo = RunExtension.Extend(image, two, palette, RunExtension.DefaultErrorShare, null, 2, Ct);
        double addedEight = RunExtension.Extend(image, eight, palette, RunExtension.DefaultErrorShare, null, 8, Ct);
        Assert.Equal(one, two);
        Assert.Equal(one, eight);
        Assert.Equal(addedOne, addedTwo);
        Assert.Equal(addedOne, addedEight);
    }

    [Fact]
    public void A_psnr_floor_holds_after_the_runs()
    {
        RgbaImage image = JpegSamples.Photo(140, 90, 8);
        QuantizedImage nearest = Quantize(image, 8, 0);
        double nearestPsnr = ImageMetrics.Compute(image, nearest, 1, Ct).Psnr;
        // A floor just under the nearest mapping's PSNR at 8 colours: the runs may spend only the room left above it.
        double floor = nearestPsnr - 0.002;
        QuantizedImage floored = Quantize(image, 8, RunExtension.DefaultErrorShare, minPsnr: floor);
        double psnr = ImageMetrics.Compute(image, floored, 1, Ct).Psnr;
        Assert.True(psnr >= floor, $"{psnr} under {floor}");
        Assert.NotEqual(nearest.Indices, floored.Indices); // some room was used
        QuantizedImage free = Quantize(image, 8, RunExtension.DefaultErrorShare);
        Assert.True(ImageMetrics.Compute(image, free, 1, Ct).Psnr < floor); // without the floor the runs spend more
    }

    [Fact]
    public void A_share_of_zero_changes_nothing_and_dithering_is_left_alone()
    {
        RgbaImage image = JpegSamples.Photo(100, 60, 3);
        var indices = new byte[image.Pixels.Length];
        Rgba32[] palette = [new(0, 0, 0, 255), new(255, 255, 255, 255), new(255, 0, 0, 255)];
        NearestPixelMapper.Map(image.Pixels, palette, indices, 1, Ct);
        byte[] before = (byte[])indices.Clone();
        Assert.Equal(0, RunExtension.Extend(image, indices, palette, 0, null, 1, Ct));
        Assert.Equal(before, indices);

        var dither = new QuantizeOptions { K = 8, Seed = 3, Dither = DitherMode.FloydSteinberg, MaxDegreeOfParallelism = 1 };
        var ditherNoRuns = new QuantizeOptions { K = 8, Seed = 3, Dither = DitherMode.FloydSteinberg, MaxDegreeOfParallelism = 1, RunErrorShare = 0 };
        Assert.Equal(ImageQuantizer.Quantize(image, ditherNoRuns, null, Ct).Indices, ImageQuantizer.Quantize(image, dither, null, Ct).Indices);
    }
}
