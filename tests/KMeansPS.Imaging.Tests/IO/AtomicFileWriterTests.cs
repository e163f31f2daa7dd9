using KMeansPS.Imaging.IO;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Imaging.Tests.IO;

public class AtomicFileWriterTests
{
    [Fact]
    public void A_failing_write_leaves_no_file_and_keeps_the_old_one()
    {
        using var folder = new TempFolder();
        string path = folder.File("out.png");
        Assert.Throws<InvalidOperationException>(() => AtomicFileWriter.Write(path, s =>
        {
            s.Write(new byte[1000]);
            throw new InvalidOperationException("encoder failed");
        }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Empty(folder.FileNames());

        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFileWriter.Write(path, _ => throw new InvalidOperationException("x"), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["out.png"], folder.FileNames());
    }

    [Fact]
    public void A_cancelled_write_leaves_no_file()
    {
        using var folder = new TempFolder();
        using var cts = new CancellationTokenSource();
        string path = folder.File("out.png");
        Assert.ThrowsAny<OperationCanceledException>(() => AtomicFileWriter.Write(path, s =>
        {
            s.Write(new byte[1000]);
            cts.Cancel();
        }, cancellationToken: cts.Token));
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void A_cancelled_quantize_leaves_no_file()
    {
        using var folder = new TempFolder();
        string source = folder.File("in.bmp");
        using (var img = Fixtures.ToImage(Fixtures.Gradient(300, 200))) SixLabors.ImageSharp.ImageExtensions.SaveAsBmp(img, source);
        using var cts = new CancellationTokenSource();
        // Cancel once encoding starts: the partly written temporary file must disappear.
        var progress = new CancelAt(QuantizeStage.Encoding, cts);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ImageQuantizer.Quantize(source, folder.File("out.png"), new QuantizeOptions { K = 8, Seed = 1 }, progress, cts.Token));
        Assert.Equal(["in.bmp"], folder.FileNames());
    }

    [Fact]
    public void Writes_and_replaces_and_refuses_the_protected_source()
    {
        using var folder = new TempFolder();
        string path = folder.File("out.bin");
        AtomicFileWriter.Write(path, s => s.Write("first"u8), cancellationToken: TestContext.Current.CancellationToken);
        AtomicFileWriter.Write(path, s => s.Write("second"u8), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Throws<ArgumentException>(() => AtomicFileWriter.Write(path, s => s.Write("third"u8), protectedSource: path, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["out.bin"], folder.FileNames());
    }

    private sealed class CancelAt(QuantizeStage stage, CancellationTokenSource cts) : IProgress<QuantizeProgress>
    {
        public void Report(QuantizeProgress value)
        {
            if (value.Stage == stage) cts.Cancel();
        }
    }
}
