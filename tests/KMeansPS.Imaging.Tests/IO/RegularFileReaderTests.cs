using System.Diagnostics;
using KMeansPS.Imaging.IO;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Imaging.Tests.IO;

/// <summary>
/// A file swapped for a pipe after the up-front check is refused when it is opened, at once: a plain open would wait
/// for a writer for ever. Regular files open as before.
/// </summary>
public class RegularFileReaderTests
{
    [Fact]
    public async Task A_pipe_is_refused_at_once_where_a_plain_open_would_wait_for_a_writer()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // no named pipes in the file system elsewhere
        using var folder = new TempFolder();
        string fifo = folder.File("swapped.png");
        using (Process mkfifo = Process.Start("mkfifo", fifo)!) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));

        CancellationToken token = TestContext.Current.CancellationToken;
        Task<Exception?> open = Task.Run(() => Record.Exception(() => RegularFileReader.Open(fifo, FileShare.Read, 4096)), token);
        Assert.Same(open, await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(10), token))); // else the open waited for a writer
        SpecialFileException refused = Assert.IsType<SpecialFileException>(await open);
        Assert.Equal(fifo, refused.FilePath);

        Task<Exception?> read = Task.Run(() => Record.Exception(() => ImageIntake.Read(fifo, 1 << 20, countColors: false, keepPixelIndexUpTo: 0, threads: 1,
            collectMetadata: false, token)), token);
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10), token)));
        Assert.IsType<SpecialFileException>(await read);
        Assert.Null(KMeansPS.Imaging.Provenance.OutputMarkerReader.Read(fifo)); // a pipe is no output of ours
    }

    [Fact]
    public void A_regular_file_opens_and_reads_whole_and_a_missing_one_is_not_found()
    {
        using var folder = new TempFolder();
        string path = folder.File("plain.bin");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        using (FileStream stream = RegularFileReader.Open(path, FileShare.Read, 4096))
        {
            Assert.Equal(5, stream.Length);
            Assert.Equal(1, stream.ReadByte());
        }
        Assert.Throws<FileNotFoundException>(() => RegularFileReader.Open(folder.File("none.bin"), FileShare.Read, 4096));
    }
}
