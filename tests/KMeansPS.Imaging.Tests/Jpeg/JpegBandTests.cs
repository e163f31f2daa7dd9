using KMeansPS.Imaging.Jpeg;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Jpeg;

/// <summary>Rows arrive in bands, as the colour histogram wants them: reported rows are final, and the caller can cancel between bands.</summary>
public class JpegBandTests
{
    public static TheoryData<string> Files() => ["420", "444", "grey", "progressive", "multiscan"];

    private static byte[] Make(string kind)
    {
        RgbaImage image = JpegSamples.Photo(75, 203, seed: 12);
        return kind switch
        {
            "420" => JpegSamples.ImageSharpJpeg(image, JpegColorType.YCbCrRatio420),
            "444" => JpegSamples.ImageSharpJpeg(image, JpegColorType.YCbCrRatio444),
            "grey" => JpegSamples.ImageSharpJpeg(image, JpegColorType.Luminance),
            "progressive" => LibjpegTools.Cjpeg(image, "-sample 2x2 -progressive"),
            _ => LibjpegTools.CjpegWithScans(image, "-sample 2x2", "0;\n1;\n2;\n"),
        };
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Reported_rows_are_final_and_come_in_order(string kind)
    {
        byte[] jpeg = Make(kind);
        Rgba32[] final = JpegSamples.Decode(jpeg);
        var pixels = new Rgba32[final.Length];
        var reports = new List<int>();
        ExactJpegDecoder.Decode(jpeg, pixels, rows =>
        {
            reports.Add(rows);
            Assert.True(final.AsSpan(0, rows * 75).SequenceEqual(pixels.AsSpan(0, rows * 75)), $"rows 0 to {rows} not final when reported");
        }, TestContext.Current.CancellationToken);
        Assert.Equal(203, reports[^1]);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First < p.Second), string.Join(", ", reports));
        Assert.True(reports.Count >= 203 / 16, $"{reports.Count} bands");
    }

    [Fact]
    public void Cancellation_stops_between_bands_and_callback_errors_pass_through()
    {
        byte[] jpeg = Make("420");
        var pixels = new Rgba32[75 * 203];
        using var cancel = new CancellationTokenSource();
        int calls = 0;
        Assert.Throws<OperationCanceledException>(() => ExactJpegDecoder.Decode(jpeg, pixels, _ =>
        {
            calls++;
            cancel.Cancel();
        }, cancel.Token));
        Assert.Equal(1, calls);

        var error = new InvalidOperationException("the consumer failed");
        Assert.Same(error, Assert.Throws<InvalidOperationException>(() => ExactJpegDecoder.Decode(jpeg, pixels, _ => throw error, TestContext.Current.CancellationToken)));
        Assert.Throws<ArgumentException>(() => ExactJpegDecoder.Decode(jpeg, new Rgba32[75 * 203 - 1], null, TestContext.Current.CancellationToken));
    }
}
