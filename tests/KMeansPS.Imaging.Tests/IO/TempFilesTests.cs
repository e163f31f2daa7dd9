using System.Diagnostics;
using System.Text;
using KMeansPS.Imaging.IO;

namespace KMeansPS.Imaging.Tests.IO;

public class TempFilesTests
{
    [Fact]
    public void Temporary_names_are_short_and_recognisable()
    {
        using var folder = new TempFolder();
        string name = Path.GetFileName(TempFiles.Create(folder.Path));
        Assert.True(Encoding.UTF8.GetByteCount(name) <= 30, name);
        Assert.Equal(Environment.ProcessId, TempFiles.OwnerOf(name));
        Assert.Null(TempFiles.OwnerOf(".photo.png.0123456789abcdef0123456789abcdef.tmp"));
        Assert.Null(TempFiles.OwnerOf(".kmps.12.ABCDEF12.tmp"));
        Assert.Null(TempFiles.OwnerOf(".kmps.x.abcdef12.tmp"));
        Assert.Equal(12, TempFiles.OwnerOf(".kmps.12.abcdef12.tmp"));
    }

    [Fact]
    public void A_tracked_folder_is_removed_with_its_contents_and_a_link_in_it_is_not_followed()
    {
        using var outside = new TempFolder();
        File.WriteAllText(outside.File("keep.txt"), "keep");
        using var parent = new TempFolder();
        string tracked = Path.Combine(parent.Path, "private");
        Directory.CreateDirectory(Path.Combine(tracked, "sub"));
        File.WriteAllText(Path.Combine(tracked, "sub", "in-0.png"), "x");
        File.CreateSymbolicLink(Path.Combine(tracked, "link"), outside.Path);
        TempFiles.TrackFolder(tracked);
        Assert.True(TempFiles.RemoveFolder(tracked));
        Assert.False(Directory.Exists(tracked));
        Assert.Equal("keep", File.ReadAllText(outside.File("keep.txt")));
        Assert.True(TempFiles.RemoveFolder(tracked)); // gone already: nothing left to remove
    }

    // At exit the handlers list the tracked folders once; a folder tracked after they started would be missed, so it is
    // removed at once and the caller told. (Only TrackFolder reads the state: other tests' temporary files are unaffected.)
    [Fact]
    public void A_folder_tracked_once_the_exit_handlers_started_is_removed_at_once()
    {
        using var parent = new TempFolder();
        string tracked = Path.Combine(parent.Path, "late");
        Directory.CreateDirectory(tracked);
        File.WriteAllText(Path.Combine(tracked, "in-0.png"), "x");
        TempFiles.SetEndingForTests(true);
        try
        {
            Assert.True(TempFiles.Ending);
            Assert.False(TempFiles.TrackFolder(tracked));
            Assert.False(Directory.Exists(tracked));
        }
        finally
        {
            TempFiles.SetEndingForTests(false);
        }
        string normal = Path.Combine(parent.Path, "normal");
        Directory.CreateDirectory(normal);
        Assert.True(TempFiles.TrackFolder(normal));
        Assert.True(Directory.Exists(normal)); // kept until removed
        Assert.True(TempFiles.RemoveFolder(normal));
    }

    [Theory]
    [InlineData(211)]
    [InlineData(248)]
    [InlineData(255)]
    public void Names_up_to_the_file_system_limit_can_be_written(int bytes)
    {
        using var folder = new TempFolder();
        string name = new string('n', bytes - 4) + ".png";
        string path = folder.File(name);
        AtomicFileWriter.Write(path, s => s.Write("x"u8), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([name], folder.FileNames());
    }

    [Fact]
    public void Stale_files_of_dead_processes_are_removed_and_live_or_foreign_ones_kept()
    {
        using var folder = new TempFolder();
        int dead = DeadProcessId();
        string stale = folder.File($".kmps.{dead}.0badc0de.tmp");
        string fresh = folder.File($".kmps.{dead}.1badc0de.tmp");          // owner gone, but written to a moment ago
        string ancient = folder.File($".kmps.{Environment.ProcessId}.2badc0de.tmp"); // ours, abandoned long ago
        string live = folder.File($".kmps.{Environment.ProcessId}.3badc0de.tmp");    // ours, recent (another call's)
        string foreign = folder.File(".kmps.notes.tmp");
        foreach (string f in new[] { stale, fresh, ancient, live, foreign }) File.WriteAllText(f, "x");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TempFiles.QuietTime - TimeSpan.FromSeconds(5));
        File.SetLastWriteTimeUtc(ancient, DateTime.UtcNow - TempFiles.MaxAge - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(foreign, DateTime.UtcNow - TempFiles.MaxAge - TimeSpan.FromMinutes(1));

        Assert.Equal(2, TempFiles.RemoveStale(folder.Path));
        Assert.Equal(new[] { fresh, live, foreign }.Select(Path.GetFileName).Order(StringComparer.Ordinal), folder.FileNames());
    }

    [Fact]
    public void A_file_being_written_is_never_swept()
    {
        using var folder = new TempFolder();
        string dest = folder.File("out.bin");
        AtomicFileWriter.Write(dest, s =>
        {
            s.Write("partial"u8);
            string temp = Assert.Single(Directory.GetFiles(folder.Path));
            File.SetLastWriteTimeUtc(temp, DateTime.UtcNow - TempFiles.MaxAge - TimeSpan.FromMinutes(1));
            Assert.Equal(0, TempFiles.RemoveStale(folder.Path));
        }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["out.bin"], folder.FileNames());
    }

    [Fact]
    public void A_live_file_quiet_for_minutes_is_renewed_so_another_run_sees_it_written_to()
    {
        // An encoder may write nothing to its temporary file for minutes; a run in another PID namespace sees no owner and
        // goes by the time of last write alone.
        using var folder = new TempFolder();
        string dest = folder.File("slow.bin");
        AtomicFileWriter.Write(dest, s =>
        {
            string temp = Assert.Single(Directory.GetFiles(folder.Path));
            File.SetLastWriteTimeUtc(temp, DateTime.UtcNow - TempFiles.QuietTime - TimeSpan.FromMinutes(5));
            Assert.True(TempFiles.Heartbeat() >= 1);
            Assert.True(DateTime.UtcNow - File.GetLastWriteTimeUtc(temp) < TempFiles.QuietTime);
            Assert.True(TempFiles.HeartbeatPeriod * 3 < TempFiles.QuietTime);
            s.Write("done"u8);
        }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["slow.bin"], folder.FileNames());
    }

    private static int DeadProcessId()
    {
        using var child = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd" : "true") { UseShellExecute = false, ArgumentList = { } })!;
        child.WaitForExit();
        return child.Id;
    }
}
