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
}
