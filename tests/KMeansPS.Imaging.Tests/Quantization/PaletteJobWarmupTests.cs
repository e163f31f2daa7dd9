using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Quantization;

public class PaletteJobWarmupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_warm_up_job_runs_every_stage_and_encodes_a_16_colour_png_of_its_image()
    {
        RgbaImage image = PaletteJobWarmup.GeneratedImage();
        // More colours than K, or the fit would be the lossless shortcut and compile none of the kernels.
        Assert.True(image.Pixels.Distinct().Count() > 1000);
        Assert.False(image.HasAlpha());

        (byte[] png, _) = PaletteJobWarmup.Run(Ct);

        RgbaImage decoded = ImageDecoder.Decode(new MemoryStream(png), cancellationToken: Ct);
        Assert.Equal((PaletteJobWarmup.Width, PaletteJobWarmup.Height), (decoded.Width, decoded.Height));
        Rgba32[] colours = decoded.Pixels.Distinct().ToArray();
        Assert.InRange(colours.Length, 9, PaletteJobWarmup.PaletteK);
        // Each pixel took a nearby entry: 16 colours leave far less error than the one mean colour would.
        static double Squared(Rgba32 a, double r, double g, double b) => (a.R - r) * (a.R - r) + (a.G - g) * (a.G - g) + (a.B - b) * (a.B - b);
        double quantized = image.Pixels.Zip(decoded.Pixels, (a, b) => Squared(a, b.R, b.G, b.B)).Average();
        (double r, double g, double b) = (image.Pixels.Average(p => p.R), image.Pixels.Average(p => p.G), image.Pixels.Average(p => p.B));
        double oneColour = image.Pixels.Average(p => Squared(p, r, g, b));
        Assert.InRange(quantized, 1, oneColour / 8);
    }

    [Fact]
    public void The_warm_up_fits_a_palette_below_and_a_bare_fit_above_the_k_where_auto_takes_hamerlys_bounds()
    {
        // Auto takes the bounds at K >= 48 below D = 16 (HamerlySolver.PaysOff); the palette job stays below it.
        Assert.True(PaletteJobWarmup.PaletteK < 48);
        Assert.True(PaletteJobWarmup.BoundsK >= 48);
        KMeansPS.Engine.KMeansResult fit = PaletteJobWarmup.BoundsFit(PaletteJobWarmup.GeneratedImage(), Ct);
        Assert.Equal((PaletteJobWarmup.BoundsK, 3), (fit.K, fit.Dimensions));
        Assert.Equal(1024, fit.Labels.Length);
        Assert.Equal(PaletteJobWarmup.BoundsK, fit.Labels.Distinct().Count()); // enough distinct colours for every centre
    }

    [Theory]
    [InlineData(0, 6)]
    [InlineData(1, 2)]
    public void The_warm_up_pngs_take_the_fast_decoder_through_runs_of_paeth_rows_and_decode_as_imagesharp_does(int index, int colourType)
    {
        string resource = PaletteJobWarmup.PngResources[index];
        byte[] file = PaletteJobWarmup.Resource(resource); // throws, naming it, when the build lacks it
        Assert.Equal(colourType, file[25]); // IHDR's colour type: RGBA 6, RGB 2 (one Paeth kernel per layout)
        byte[] idat = [.. KMeansPS.Imaging.Tests.Png.PngChunk.Parse(file).Where(c => c.Type == "IDAT").SelectMany(c => c.Data)];
        using var inflater = new System.IO.Compression.ZLibStream(new MemoryStream(idat), System.IO.Compression.CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        inflater.CopyTo(inflated);
        byte[] rows = inflated.ToArray();
        int rowBytes = 1 + PaletteJobWarmup.Width * (colourType == 6 ? 4 : 3);
        Assert.Equal(PaletteJobWarmup.Height * rowBytes, rows.Length);
        // Runs of four, two and one Paeth rows, each run its own kernel (UndoQuad, UndoPair, Undo).
        string filters = string.Concat(Enumerable.Range(0, PaletteJobWarmup.Height).Select(y => (char)('0' + rows[y * rowBytes])));
        Assert.Contains("344440", filters);
        Assert.Contains("0441", filters);
        Assert.Contains("1423", filters);

        RgbaImage? fast = PaletteJobWarmup.DecodePng(resource, Ct);
        Assert.NotNull(fast); // not refused by the fast decoder, or the warm-up would compile nothing of it
        Assert.Equal(ImageDecoder.Decode(new MemoryStream(file), cancellationToken: Ct).Pixels, fast.Pixels);
        if (colourType == 6) Assert.Contains(fast.Pixels, p => p.A < 255);
    }

    [Theory]
    [InlineData(0, "2x2 1x1 1x1")]
    [InlineData(1, "2x1 1x1 1x1")]
    public void The_warm_up_jpegs_are_in_the_build_with_their_chroma_sampling_and_decode_as_djpeg_does(int index, string sampling)
    {
        // The warm-up compiles the decoder's kernels only if its files are there and reach them: a missing resource
        // or one our decoder hands to ImageSharp would leave a first call compiling them as before.
        string resource = PaletteJobWarmup.JpegResources[index];
        byte[] file = PaletteJobWarmup.Resource(resource); // throws, naming it, when the build lacks it
        Assert.Equal(sampling, KMeansPS.Imaging.Jpeg.ExactJpegDecoder.ReadHeader(file).Sampling);

        RgbaImage decoded = PaletteJobWarmup.DecodeJpeg(resource, Ct);
        Rgba32[] expected = KMeansPS.Imaging.Tests.Jpeg.LibjpegTools.Djpeg(file, out int width, out int height);
        Assert.Equal((PaletteJobWarmup.Width, PaletteJobWarmup.Height), (width, height));
        Assert.Equal(expected, decoded.Pixels);
    }

    [Fact]
    public void A_file_the_warm_up_cannot_decode_is_reported_after_the_rest_has_run()
    {
        string[] jpegs = ["KMeansPS.Imaging.no-such-file.jpg", PaletteJobWarmup.JpegResources[0]];
        var error = Assert.Throws<AggregateException>(() => PaletteJobWarmup.Run(jpegs, PaletteJobWarmup.PngResources, Ct));
        Assert.Single(error.InnerExceptions);
        Assert.Contains("no-such-file", error.InnerExceptions[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_warm_up_job_is_the_same_every_time()
    {
        (byte[] png, KMeansPS.Engine.KMeansResult fit) = PaletteJobWarmup.Run(Ct);
        (byte[] again, KMeansPS.Engine.KMeansResult fitAgain) = PaletteJobWarmup.Run(Ct);
        Assert.Equal(png, again);
        Assert.Equal(fit.Centroids, fitAgain.Centroids);
    }
}
