using KMeansPS.Imaging.IO;

namespace KMeansPS.Imaging.Tests.IO;

public class FileIdentityTests
{
    [Fact]
    public void A_symbolic_link_and_a_hard_link_are_the_file_they_point_to_and_other_files_are_not()
    {
        if (OperatingSystem.IsWindows()) return; // links need privileges there; the identity code path is the same call
        using var folder = new TempFolder();
        string a = folder.File("a.png"), b = folder.File("b.png");
        File.WriteAllText(a, "a");
        File.WriteAllText(b, "a"); // same content, another file
        string link = folder.File("link.png");
        File.CreateSymbolicLink(link, a);
        string hard = folder.File("hard.png");
        Assert.Equal(0, PosixFileCalls.Link(a, hard));

        Assert.True(FileIdentity.SameFile(a, link));
        Assert.True(FileIdentity.SameFile(a, hard));
        Assert.True(FileIdentity.SameFile(link, hard));
        Assert.False(FileIdentity.SameFile(a, b));
        Assert.True(AtomicFileWriter.SamePath(link, a));
        Assert.False(AtomicFileWriter.SamePath(b, a));
    }

    [Fact]
    public void Kinds_are_told_apart_and_a_missing_file_has_no_identity()
    {
        using var folder = new TempFolder();
        string file = folder.File("f.bin");
        File.WriteAllText(file, "x");
        Assert.True(FileIdentity.TryGet(file, out FileIdentity f));
        Assert.Equal(FileKind.Regular, f.Kind);
        Assert.True(FileIdentity.TryGet(folder.Path, out FileIdentity d));
        Assert.Equal(FileKind.Directory, d.Kind);
        Assert.False(f.IsSameFile(d));
        Assert.False(FileIdentity.TryGet(folder.File("missing.bin"), out _));
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            Assert.True(FileIdentity.TryGet("/dev/null", out FileIdentity device));
            Assert.Equal(FileKind.Other, device.Kind);
        }
    }

    [Fact]
    public void A_new_name_under_a_linked_folder_resolves_to_the_real_folder()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string real = Directory.CreateDirectory(folder.File("real")).FullName;
        string alias = folder.File("alias");
        Directory.CreateSymbolicLink(alias, real);
        string viaAlias = FileIdentity.ResolvePath(Path.Combine(alias, "new.png"));
        Assert.Equal(Path.Combine(FileIdentity.ResolvePath(real), "new.png"), viaAlias);
        Assert.True(AtomicFileWriter.SamePath(Path.Combine(alias, "new.png"), Path.Combine(real, "new.png")));
    }

    /// <summary>
    /// statx(2), the identity's call on Linux architectures whose struct stat is not read here (arm32, ppc64le, s390x,
    /// riscv64), gives stat(2)'s device, inode and kind here, on each kind of file: a regular file, a link to it, a
    /// folder, a pipe (FIFO, which must never be opened for its kind), a device and nothing.
    /// </summary>
    [Fact]
    public void On_Linux_statx_gives_what_stat_gives_for_every_kind_of_file()
    {
        if (!OperatingSystem.IsLinux()) return; // statx is Linux's
        using var folder = new TempFolder();
        string file = folder.File("f.png"), link = folder.File("link.png"), pipe = folder.File("pipe.png");
        File.WriteAllText(file, "x");
        File.CreateSymbolicLink(link, file);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe)) mkfifo.WaitForExit();
        if (PosixFileCalls.StatX(file, out _) == PosixFileCalls.StatOutcome.Unsupported) return; // a kernel or sandbox without statx: identities fall back as before
        foreach (string path in new[] { file, link, folder.Path, pipe, "/dev/null" })
        {
            Assert.Equal(PosixFileCalls.StatOutcome.Found, PosixFileCalls.Stat(path, out FileIdentity byStat));
            Assert.Equal(PosixFileCalls.StatOutcome.Found, PosixFileCalls.StatX(path, out FileIdentity byStatx));
            Assert.Equal(byStat, byStatx);
        }
        PosixFileCalls.StatX(pipe, out FileIdentity fifo);
        Assert.Equal(FileKind.Other, fifo.Kind);
        Assert.Equal(PosixFileCalls.StatOutcome.Missing, PosixFileCalls.StatX(folder.File("missing.png"), out _));
    }
}
