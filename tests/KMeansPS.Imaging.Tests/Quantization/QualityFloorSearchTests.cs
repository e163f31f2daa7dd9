using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Metrics;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Imaging.Tests.Quantization;

public class QualityFloorSearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // PSNR rising with log K, as it roughly does on photos.
    private static double Curve(int k) => 10 + 5 * Math.Log2(k);

    [Theory]
    [InlineData(256, 20.0)]
    [InlineData(256, 33.3)]
    [InlineData(256, 50.0)]
    [InlineData(64, 12.0)]
    [InlineData(2, 10.0)]
    [InlineData(200, 48.0)]
    public void On_a_rising_curve_it_finds_the_fewest_colours_that_reach_the_floor_with_few_fits(int maxK, double floor)
    {
        var tried = new List<int>();
        (int k, int fit) = QualityFloorSearch.Find(maxK, floor, k =>
        {
            tried.Add(k);
            return new QualityFloorSearch.Candidate<int>(k * 10, Curve(k));
        }, Ct);
        int expected = Enumerable.Range(PaletteBuilder.MinColors, maxK - 1).First(c => Curve(c) >= floor);
        Assert.Equal(expected, k);
        Assert.Equal(expected * 10, fit);
        Assert.Equal(maxK, tried[0]);
        Assert.True(tried.Count <= 11, $"{tried.Count} fits: {string.Join(',', tried)}");
        Assert.Equal(tried.Count, tried.Distinct().Count());
    }

    [Theory]
    [InlineData(2.3)]
    [InlineData(4.0)]
    [InlineData(6.0)]
    public void On_photo_like_curves_it_needs_at_most_7_fits(double dBPerDoubling)
    {
        foreach (double below in new[] { 0.1, 0.4, 1.0, 3.0, 8.0 })
        {
            double Psnr(int k) => 20 + dBPerDoubling * Math.Log2(k);
            double floor = Psnr(256) - below;
            var tried = new List<int>();
            (int k, _) = QualityFloorSearch.Find(256, floor, c =>
            {
                tried.Add(c);
                return new QualityFloorSearch.Candidate<int>(c, Psnr(c));
            }, Ct);
            Assert.True(Psnr(k) >= floor && Psnr(k - 1) < floor);
            Assert.True(tried.Count <= 7, $"{dBPerDoubling} dB/doubling, floor {below} dB below K = 256: {tried.Count} fits: {string.Join(',', tried)}");
        }
    }

    [Fact]
    public void A_lossless_top_with_infinite_PSNR_still_finds_the_answer_in_few_fits()
    {
        var tried = new List<int>();
        (int k, _) = QualityFloorSearch.Find(256, 30.0, c =>
        {
            tried.Add(c);
            return new QualityFloorSearch.Candidate<int>(c, c >= 200 ? double.PositiveInfinity : Curve(c));
        }, Ct);
        Assert.Equal(Enumerable.Range(2, 255).First(c => Curve(c) >= 30.0), k);
        Assert.True(tried.Count <= 11, $"{tried.Count} fits: {string.Join(',', tried)}");
    }

    [Fact]
    public void When_the_most_colours_miss_the_floor_it_throws_after_one_fit()
    {
        int fits = 0;
        var ex = Assert.Throws<QualityFloorException>(() => QualityFloorSearch.Find(64, 45.0, k =>
        {
            fits++;
            return new QualityFloorSearch.Candidate<int>(k, Curve(k));
        }, Ct));
        Assert.Equal(1, fits);
        Assert.Equal(64, ex.K);
        Assert.Equal(Curve(64), ex.Psnr);
        Assert.Equal(45.0, ex.MinPsnr);
    }

    [Fact]
    public void On_a_bumpy_curve_the_answer_reaches_the_floor_and_one_colour_fewer_does_not()
    {
        var random = new Random(5);
        double[] psnr = Enumerable.Range(0, 257).Select(k => Curve(Math.Max(1, k)) + random.NextDouble() * 3).ToArray();
        foreach (double floor in new[] { 20.0, 25.0, 30.0, 35.0, 40.0 })
        {
            (int k, _) = QualityFloorSearch.Find(256, floor, c => new QualityFloorSearch.Candidate<int>(c, psnr[c]), Ct);
            Assert.True(psnr[k] >= floor);
            Assert.True(k == PaletteBuilder.MinColors || psnr[k - 1] < floor, $"K {k}: {psnr[k - 1]} at K - 1 also reaches {floor}");
        }
    }

    [Fact]
    public void The_quantizer_under_a_floor_uses_fewer_colours_whose_measured_PSNR_reaches_it()
    {
        RgbaImage image = Fixtures.Gradient(96, 64);
        QuantizedImage full = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 64, Seed = 3 }, cancellationToken: Ct);
        double fullPsnr = ImageMetrics.Compute(image, full, cancellationToken: Ct).Psnr;
        double floor = fullPsnr - 6; // about a quarter of the colours' error: reachable with fewer
        QuantizedImage floored = ImageQuantizer.Quantize(image, new QuantizeOptions { K = 64, Seed = 3, MinPsnr = floor }, cancellationToken: Ct);
        Assert.InRange(floored.ChosenK, PaletteBuilder.MinColors, 63);
        Assert.True(ImageMetrics.Compute(image, floored, cancellationToken: Ct).Psnr >= floor);
        // The same K without a floor is the same palette and pixels (the search refits nothing differently).
        QuantizedImage same = ImageQuantizer.Quantize(image, new QuantizeOptions { K = floored.ChosenK, Seed = 3 }, cancellationToken: Ct);
        Assert.Equal(same.Palette, floored.Palette);
        Assert.Equal(same.Indices, floored.Indices);
        // One colour fewer misses it.
        QuantizedImage fewer = ImageQuantizer.Quantize(image, new QuantizeOptions { K = floored.ChosenK - 1, Seed = 3 }, cancellationToken: Ct);
        Assert.True(ImageMetrics.Compute(image, fewer, cancellationToken: Ct).Psnr < floor);
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(false, false, true)]
    public void Dithered_GIF_and_transparent_results_are_measured_on_their_pixels(bool dithered, bool gif, bool alpha)
    {
        DitherMode dither = dithered ? DitherMode.FloydSteinberg : DitherMode.None;
        ImageOutputFormat format = gif ? ImageOutputFormat.Gif : ImageOutputFormat.Png;
        RgbaImage image = alpha ? Fixtures.WithTransparency(80, 60) : Fixtures.Gradient(80, 60);
        QuantizeOptions Options(int k, double? floor) => new() { K = k, Seed = 2, Dither = dither, OutputFormat = format, MinPsnr = floor };
        QuantizedImage full = ImageQuantizer.Quantize(image, Options(32, null), cancellationToken: Ct);
        double floor = ImageMetrics.Compute(image, full, cancellationToken: Ct).Psnr - 4;
        QuantizedImage floored = ImageQuantizer.Quantize(image, Options(32, floor), cancellationToken: Ct);
        Assert.True(floored.ChosenK < 32);
        Assert.True(ImageMetrics.Compute(image, floored, cancellationToken: Ct).Psnr >= floor);
        QuantizedImage fewer = ImageQuantizer.Quantize(image, Options(floored.ChosenK - 1, null), cancellationToken: Ct);
        Assert.True(floored.ChosenK == 2 || ImageMetrics.Compute(image, fewer, cancellationToken: Ct).Psnr < floor);
    }

    [Fact]
    public void A_floor_the_most_colours_miss_throws_QualityFloorException()
    {
        RgbaImage image = Fixtures.Gradient(64, 48);
        Assert.Throws<QualityFloorException>(() => ImageQuantizer.Quantize(image, new QuantizeOptions { K = 4, Seed = 1, MinPsnr = 60 }, cancellationToken: Ct));
    }

    /// <summary>
    /// The PSNR the error names is the K-colour palette's with every pixel at its nearest colour, as it says: the most
    /// K colours reach. The file written at K without a floor, whose short runs take their neighbour's colour, is below it.
    /// </summary>
    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    public void The_PSNR_a_missed_floor_names_is_the_nearest_mapping_of_the_most_colours(int k)
    {
        RgbaImage image = Jpeg.JpegSamples.Photo(121, 77, seed: k);
        var ex = Assert.Throws<QualityFloorException>(() => ImageQuantizer.Quantize(image, new QuantizeOptions { K = k, Seed = 5, MinPsnr = 80 }, cancellationToken: Ct));
        QuantizedImage nearest = ImageQuantizer.Quantize(image, new QuantizeOptions { K = k, Seed = 5, RunErrorShare = 0 }, cancellationToken: Ct);
        Assert.Equal(ImageMetrics.Compute(image, nearest, cancellationToken: Ct).Psnr, ex.Psnr, 6);
        QuantizedImage written = ImageQuantizer.Quantize(image, new QuantizeOptions { K = k, Seed = 5 }, cancellationToken: Ct);
        Assert.True(ImageMetrics.Compute(image, written, cancellationToken: Ct).Psnr < ex.Psnr, "the runs took their neighbour's colour somewhere");
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"reaches at most {ex.Psnr:F2} dB PSNR with {k} colours (each pixel at its nearest colour)"), ex.Message, StringComparison.Ordinal);
    }
}
