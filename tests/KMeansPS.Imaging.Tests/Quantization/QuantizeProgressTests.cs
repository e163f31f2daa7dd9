using KMeansPS.Imaging.Png;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Quantization;

public sealed class QuantizeProgressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Decoding_a_png_tells_rows_per_batch_up_to_the_height_and_the_fit_tells_iterations()
    {
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        using (Image<Rgba32> img = Fixtures.ToImage(Fixtures.Gradient(50, 200))) img.Save(source, new PngEncoder());
        var reports = new List<QuantizeProgress>();
        ImageQuantizer.Quantize(source, folder.File("out.png"), new QuantizeOptions { K = 8, Seed = 1, MaxIterations = 40 },
            new SyncProgress(reports.Add), Ct);

        int[] rows = reports.Where(p => p.Stage == QuantizeStage.Decoding && p.Total > 0).Select(p => p.Done).ToArray();
        Assert.All(reports.Where(p => p.Stage == QuantizeStage.Decoding && p.Total > 0), p => Assert.Equal(200, p.Total));
        Assert.Equal(200, rows[^1]);
        Assert.True(rows.Length <= 200 / RowProgress.RowsPerBatch + 1, "one report per batch of rows, not per row");
        for (int i = 1; i < rows.Length; i++) Assert.True(rows[i] > rows[i - 1]);

        QuantizeProgress[] fit = reports.Where(p => p.Stage == QuantizeStage.Clustering && p.Done > 0).ToArray();
        Assert.NotEmpty(fit);
        Assert.All(fit, p => Assert.Equal(40, p.Total));
        Assert.All(fit, p => Assert.InRange(p.Fraction, 0, 1));
    }

    [Fact]
    public void A_K_sweep_tells_each_K_s_stages_in_order()
    {
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        using (Image<Rgba32> img = Fixtures.ToImage(Fixtures.Gradient(40, 30))) img.Save(source, new PngEncoder());
        var stages = new List<QuantizeStage>();
        KSweep.Run(source, [4, 8], 1, KMeansPS.Imaging.ColorSpaces.QuantizeColorSpace.Rgb, 1_000_000, stages: new SyncProgress(p => stages.Add(p.Stage)), cancellationToken: Ct);
        var distinctRuns = new List<QuantizeStage>();
        foreach (QuantizeStage s in stages)
        {
            if (distinctRuns.Count == 0 || distinctRuns[^1] != s) distinctRuns.Add(s);
        }
        QuantizeStage[] perK = [QuantizeStage.Histogram, QuantizeStage.Clustering, QuantizeStage.Mapping, QuantizeStage.Encoding, QuantizeStage.Metrics];
        Assert.Equal([QuantizeStage.Decoding, .. perK, .. perK], distinctRuns);
    }

    [Fact]
    public void Fraction_is_done_over_total_and_zero_without_a_total()
    {
        Assert.Equal(0.25, new QuantizeProgress(QuantizeStage.Decoding, 50, 200).Fraction);
        Assert.Equal(0, new QuantizeProgress(QuantizeStage.Mapping, 0, 0).Fraction);
        Assert.Equal(1, new QuantizeProgress(QuantizeStage.Clustering, 7, 5).Fraction);
    }
}
