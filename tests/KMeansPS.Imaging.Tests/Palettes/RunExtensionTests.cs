using KMeansPS.Imaging.ColorSpaces;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
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
        "photo" => JpegSamples.Photo(211 + seed * 13, 97 + seed * 7, seed),
        "screenshot" => TranslucentPaletteTests.Screenshot(seed, 260, 150, 3, 160 + seed * 10),
        _ => Fixtures.Gradient(301, 83, seed),
    };

    private static QuantizedImage Quantize(RgbaImage image, int k, double share, int threads = 2, double? minPsnr = null) =>
        ImageQuantizer.Quantize(image, new QuantizeOptions
        {
            K = k, Seed = 7, MaxDegreeOfParallelism = threads, RunErrorShare = share, MinPsnr = minPsnr,
        }, null, Ct);

    private static int IndexChanges(QuantizedImage q, int y)
    {
        int changes = 0;
        for (int x = 1; x < q.Width; x++)
            if (q.Indices[y * q.Width + x] != q.Indices[y * q.Width + x - 1]) changes++;
        return changes;
    }

    private static long PngBytes(QuantizedImage q)
    {
        using var stream = new MemoryStream();
        q.WritePng(stream, 1, Ct);
        return stream.Length;
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Adds_at_most_its_share_of_each_rows_error_and_never_more_index_changes(string kind, int seed)
    {
        RgbaImage image = Make(kind, seed);
        foreach (int k in new[] { 8, 32 })
        {
            QuantizedImage nearest = Quantize(image, k, 0);
            QuantizedImage runs = Quantize(image, k, RunExtension.DefaultErrorShare);
            Assert.Equal(nearest.Palette, runs.Palette); // the same fit; only the mapping differs
            for (int y = 0; y < image.Height; y++)
            {
                double before = 0, after = 0;
                for (int x = 0; x < image.Width; x++)
                {
                    int p = y * image.Width + x;
                    before += MetricColor.SquaredDistance(image.Pixels[p], nearest.Palette[nearest.Indices[p]]);
                    after += MetricColor.SquaredDistance(image.Pixels[p], runs.Palette[runs.Indices[p]]);
                    if (image.Pixels[p].A == 0) Assert.Equal(0, runs.Palette[runs.Indices[p]].A);
                    else Assert.True(nearest.Palette[nearest.Indices[p]].A == 0 || runs.Palette[runs.Indices[p]].A != 0);
                }
                Assert.True(after <= before * (1 + RunExtension.DefaultErrorShare) + 1e-9, $"row {y}: {after} against {before}");
                Assert.True(IndexChanges(runs, y) <= IndexChanges(nearest, y), $"row {y}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_reported_error_is_the_pixels_error(string kind, int seed)
    {
        RgbaImage image = Make(kind, seed);
        QuantizedImage runs = Quantize(image, 16, RunExtension.DefaultErrorShare);
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
            QuantizedImage nearest = Quantize(image, 16, 0), runs = Quantize(image, 16, RunExtension.DefaultErrorShare);
            Assert.NotEqual(nearest.Indices, runs.Indices);
            nearestBytes += PngBytes(nearest);
            runBytes += PngBytes(runs);
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
        RgbaImage image = JpegSamples.Photo(700, 300, 5); // several bands of rows
        QuantizedImage one = Quantize(image, 32, RunExtension.DefaultErrorShare, 1);
        QuantizedImage two = Quantize(image, 32, RunExtension.DefaultErrorShare, 2);
        QuantizedImage eight = Quantize(image, 32, RunExtension.DefaultErrorShare, 8);
        Assert.Equal(one.Indices, two.Indices);
        Assert.Equal(one.Indices, eight.Indices);
        Assert.Equal(one.SquaredErrorOfSource, eight.SquaredErrorOfSource);
    }

    [Fact]
    public void A_psnr_floor_holds_after_the_runs()
    {
        RgbaImage image = JpegSamples.Photo(300, 180, 8);
        QuantizedImage nearest = Quantize(image, 24, 0);
        double nearestPsnr = ImageMetrics.Compute(image, nearest, 1, Ct).Psnr;
        // A floor just under the nearest mapping's PSNR at 24 colours: the runs may spend only the room left above it.
        double floor = nearestPsnr - 0.002;
        QuantizedImage floored = Quantize(image, 24, RunExtension.DefaultErrorShare, minPsnr: floor);
        double psnr = ImageMetrics.Compute(image, floored, 1, Ct).Psnr;
        Assert.True(psnr >= floor, $"{psnr} under {floor}");
        Assert.NotEqual(nearest.Indices, floored.Indices); // some room was used
        QuantizedImage free = Quantize(image, 24, RunExtension.DefaultErrorShare);
        Assert.True(ImageMetrics.Compute(image, free, 1, Ct).Psnr < floor); // without the floor the runs spend more
    }

    [Fact]
    public void A_share_of_zero_changes_nothing_and_dithering_is_left_alone()
    {
        RgbaImage image = JpegSamples.Photo(150, 90, 3);
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
