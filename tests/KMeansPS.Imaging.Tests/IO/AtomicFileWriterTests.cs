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
        Assert.Throws<InvalidOperationException>(() => AtomicFileWriter.Write(path, _ => throw new InvalidOperationException("x"), AtomicWriteOptions.Replace, TestContext.Current.CancellationToken));
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
    public void A_quantize_onto_an_existing_file_reports_the_write_and_keeps_the_file()
    {
        // The metrics run beside the write: a write that fails must still surface its own error, and leave nothing.
        using var folder = new TempFolder();
        string source = folder.File("in.bmp");
        using (var img = Fixtures.ToImage(Fixtures.Gradient(300, 200))) SixLabors.ImageSharp.ImageExtensions.SaveAsBmp(img, source);
        string destination = folder.File("out.png");
        File.WriteAllText(destination, "old");
        Assert.Throws<OutputExistsException>(() =>
            ImageQuantizer.Quantize(source, destination, new QuantizeOptions { K = 8, Seed = 1, Overwrite = false }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("old", File.ReadAllText(destination));
        Assert.Equal(["in.bmp", "out.png"], folder.FileNames());
    }

    [Fact]
    public void Writes_and_replaces_and_refuses_the_protected_source()
    {
        using var folder = new TempFolder();
        string path = folder.File("out.bin");
        AtomicFileWriter.Write(path, s => s.Write("first"u8), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Throws<OutputExistsException>(() => AtomicFileWriter.Write(path, s => s.Write("no"u8), AtomicWriteOptions.NoReplace, TestContext.Current.CancellationToken));
        Assert.Equal("first", File.ReadAllText(path));
        AtomicFileWriter.Write(path, s => s.Write("second"u8), AtomicWriteOptions.Replace, TestContext.Current.CancellationToken);
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Throws<OutputIsSourceException>(() => AtomicFileWriter.Write(path, s => s.Write("third"u8),
            new AtomicWriteOptions { Overwrite = true, ProtectedSource = path }, TestContext.Current.CancellationToken));
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["out.bin"], folder.FileNames());
    }

    [Fact]
    public void The_source_is_protected_through_symbolic_and_hard_links()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string source = folder.File("a.png");
        File.WriteAllText(source, "source");
        string link = folder.File("src_link.png");
        File.CreateSymbolicLink(link, source);
        string hard = folder.File("hard.png");
        Assert.Equal(0, PosixFileCalls.Link(source, hard));
        var options = new AtomicWriteOptions { Overwrite = true, ProtectedSource = link };
        Assert.Throws<OutputIsSourceException>(() => AtomicFileWriter.Write(source, s => s.Write("x"u8), options, TestContext.Current.CancellationToken));
        Assert.Throws<OutputIsSourceException>(() => AtomicFileWriter.Write(hard, s => s.Write("x"u8), options, TestContext.Current.CancellationToken));
        Assert.Equal("source", File.ReadAllText(source));
        Assert.Equal(["a.png", "hard.png", "src_link.png"], folder.FileNames());
    }

    [Fact]
    public void A_pipe_is_never_replaced_even_when_replacing_is_allowed()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        using var folder = new TempFolder();
        string fifo = folder.File("pipe.png");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
        var ex = Assert.Throws<IOException>(() => AtomicFileWriter.Write(fifo, s => s.Write("x"u8), AtomicWriteOptions.Replace, TestContext.Current.CancellationToken));
        Assert.Contains("not a regular file", ex.Message, StringComparison.Ordinal);
        Assert.True(FileIdentity.TryGet(fifo, out FileIdentity id) && id.Kind == FileKind.Other);
        Assert.Equal(["pipe.png"], folder.FileNames());
    }

    [Fact]
    public void The_publish_hook_runs_the_move_and_can_refuse_it()
    {
        using var folder = new TempFolder();
        string path = folder.File("out.bin");
        var seen = new List<string>();
        AtomicFileWriter.Write(path, s => s.Write("a"u8), new AtomicWriteOptions { Publish = (p, move) => { seen.Add(p); move(); } },
            TestContext.Current.CancellationToken);
        Assert.Equal([path], seen);
        Assert.Throws<InvalidOperationException>(() => AtomicFileWriter.Write(folder.File("no.bin"), s => s.Write("b"u8),
            new AtomicWriteOptions { Publish = (_, _) => throw new InvalidOperationException("refused") }, TestContext.Current.CancellationToken));
        Assert.Equal(["out.bin"], folder.FileNames());
    }

    [Fact]
    public void Keep_sees_the_finished_length_and_a_declined_file_leaves_no_name_and_no_temporary_file()
    {
        using var folder = new TempFolder();
        long seen = -1;
        bool published = AtomicFileWriter.Write(folder.File("small.bin"), s => s.Write("abc"u8),
            new AtomicWriteOptions { Keep = length => (seen = length) < 3 }, TestContext.Current.CancellationToken);
        Assert.False(published);
        Assert.Equal(3, seen);
        Assert.Empty(folder.FileNames());
        Assert.True(AtomicFileWriter.Write(folder.File("small.bin"), s => s.Write("ab"u8),
            new AtomicWriteOptions { Keep = length => length < 3 }, TestContext.Current.CancellationToken));
        Assert.Equal(["small.bin"], folder.FileNames());
    }

    [Fact]
    public void A_folder_made_for_the_output_and_removed_before_the_write_is_made_again_only_when_asked()
    {
        using var folder = new TempFolder();
        string made = folder.File("made");
        string path = System.IO.Path.Combine(made, "out.bin");
        Directory.CreateDirectory(made);
        Directory.Delete(made); // another run tidying its empty folder away between the caller's creation and the write
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFileWriter.Write(path, s => s.Write("ab"u8),
            cancellationToken: TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(made));
        Assert.True(AtomicFileWriter.Write(path, s => s.Write("ab"u8), new AtomicWriteOptions { CreateFolder = true },
            TestContext.Current.CancellationToken));
        Assert.Equal("ab", File.ReadAllText(path));
        Assert.Equal(["out.bin"], Directory.GetFiles(made).Select(System.IO.Path.GetFileName));
    }

    private sealed class CancelAt(QuantizeStage stage, CancellationTokenSource cts) : IProgress<QuantizeProgress>
    {
        public void Report(QuantizeProgress value)
        {
            if (value.Stage == stage) cts.Cancel();
        }
    }
}
