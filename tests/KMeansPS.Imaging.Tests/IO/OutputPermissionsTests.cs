using KMeansPS.Imaging.IO;
using KMeansPS.Imaging.Quantization;

namespace KMeansPS.Imaging.Tests.IO;

public class OutputPermissionsTests
{
    private const UnixFileMode GroupAndOther = (UnixFileMode)0b000_111_111;
    private const UnixFileMode Owner = (UnixFileMode)0b111_000_000;

    [Fact]
    public void The_rule_never_widens_the_source_keeps_the_owner_and_a_replaced_file_keeps_its_bits()
    {
        var random = new Random(15);
        for (int trial = 0; trial < 20_000; trial++)
        {
            // Every bit pattern a umask leaves on 0666, every source mode, a replaced file or none.
            var created = (UnixFileMode)(0b110_110_110 & ~random.Next(0, 512));
            var source = (UnixFileMode)random.Next(0, 512);
            UnixFileMode? replaced = random.Next(3) == 0 ? (UnixFileMode)random.Next(0, 4096) : null;
            UnixFileMode result = OutputPermissions.For(created, replaced, source);
            if (replaced is { } kept)
            {
                Assert.Equal(kept & (Owner | GroupAndOther), result);
                continue;
            }
            Assert.Equal(created & Owner, result & Owner);
            Assert.Equal(UnixFileMode.None, result & GroupAndOther & ~source);
            Assert.Equal(UnixFileMode.None, result & ~created);
            Assert.Equal(created & source & GroupAndOther, result & GroupAndOther);
        }
        Assert.Equal((UnixFileMode)0b110_100_100, OutputPermissions.For((UnixFileMode)0b110_100_100, null, null));
        for (int bits = 0; bits < 512; bits++)
        {
            // What a temporary file is created with until its group is the source's: its group no wider than anyone's.
            UnixFileMode restricted = OutputPermissions.Restrict((UnixFileMode)bits);
            Assert.Equal((UnixFileMode)bits & ~GroupAndOther, restricted & ~GroupAndOther);
            Assert.Equal((UnixFileMode)bits & (UnixFileMode)0b111, restricted & (UnixFileMode)0b111);
            Assert.Equal(UnixFileMode.None, restricted & ~(UnixFileMode)bits);
            Assert.Equal(UnixFileMode.None, (UnixFileMode)(((int)restricted >> 3) & 0b111 & ~bits));
        }
    }

    [Fact]
    public void The_temporary_file_is_created_no_wider_than_its_source_allows_whatever_group_it_gets()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        File.WriteAllText(source, "source");
        var random = new Random(3);
        for (int trial = 0; trial < 64; trial++)
        {
            var bits = (UnixFileMode)random.Next(0, 512) | UnixFileMode.UserRead;
            File.SetUnixFileMode(source, bits);
            OutputPermissions plan = OutputPermissions.Plan(folder.File("out.png"), new AtomicWriteOptions { PermissionsFrom = source });
            UnixFileMode create = plan.CreateMode!.Value;
            Assert.Equal(UnixFileMode.None, create & GroupAndOther & ~bits);
            Assert.Equal(UnixFileMode.None, (UnixFileMode)(((int)create >> 3) & 0b111) & ~create & (UnixFileMode)0b111);
        }
    }

    [Fact]
    public void A_new_output_takes_its_source_s_group_or_else_gives_its_group_no_more_than_everyone()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        File.WriteAllText(source, "source");
        File.SetUnixFileMode(source, (UnixFileMode)0b110_100_000); // 0640: the group reads, others do not
        bool root = Environment.UserName == "root";
        // As root the source's group is one the folder does not have (a setgid folder of another group, as a shared
        // folder is); otherwise both stay the user's, and the rule is checked as far as a user can arrange it.
        if (root)
        {
            Assert.Equal(0, Chown(source, 4321));
            Assert.Equal(0, Chown(folder.Path, 1234));
            File.SetUnixFileMode(folder.Path, File.GetUnixFileMode(folder.Path) | UnixFileMode.SetGroup);
        }
        string output = folder.File("out.png");
        AtomicFileWriter.Write(output, s => s.WriteByte(1), new AtomicWriteOptions { PermissionsFrom = source }, TestContext.Current.CancellationToken);
        UnixFileMode mode = File.GetUnixFileMode(output);
        if (PosixFileCalls.GroupOf(output) == PosixFileCalls.GroupOf(source))
            Assert.Equal(OutputPermissions.For(CreatedMode(folder), null, (UnixFileMode)0b110_100_000), mode);
        else
            Assert.Equal(UnixFileMode.None, mode & GroupAndOther);
        if (root) Assert.Equal(4321u, PosixFileCalls.GroupOf(output));
    }

    private static int Chown(string path, int group)
    {
        using var process = System.Diagnostics.Process.Start("chgrp", [group.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        process.WaitForExit();
        return process.ExitCode;
    }

    [Theory]
    [InlineData(0b110_000_000)] // private
    [InlineData(0b110_100_000)] // group-readable
    [InlineData(0b100_100_100)] // read-only for all: the owner can still replace the output
    [InlineData(0b110_110_110)] // open to all: the umask still applies
    public void A_new_output_reads_no_wider_than_its_source(int sourceBits)
    {
        if (OperatingSystem.IsWindows()) return; // permission bits are a Unix notion; Windows outputs inherit their folder's rules
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        File.WriteAllText(source, "source");
        File.SetUnixFileMode(source, (UnixFileMode)sourceBits);
        UnixFileMode created = CreatedMode(folder);

        string output = folder.File("out.png");
        AtomicFileWriter.Write(output, s => s.WriteByte(1), new AtomicWriteOptions { PermissionsFrom = source }, TestContext.Current.CancellationToken);
        Assert.Equal(OutputPermissions.For(created, null, (UnixFileMode)sourceBits), File.GetUnixFileMode(output));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(output) & GroupAndOther & ~(UnixFileMode)sourceBits);

        // Through a link the file it names decides.
        string link = folder.File("link.png");
        File.CreateSymbolicLink(link, source);
        string second = folder.File("second.png");
        AtomicFileWriter.Write(second, s => s.WriteByte(1), new AtomicWriteOptions { PermissionsFrom = link }, TestContext.Current.CancellationToken);
        Assert.Equal(File.GetUnixFileMode(output), File.GetUnixFileMode(second));
    }

    [Fact]
    public void A_replaced_output_keeps_the_bits_it_had_and_a_vanished_source_leaves_the_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string source = folder.File("in.png");
        File.WriteAllText(source, "source");
        File.SetUnixFileMode(source, (UnixFileMode)0b110_110_100);
        string output = folder.File("out.png");
        File.WriteAllText(output, "old");
        var chosen = (UnixFileMode)0b110_000_100; // what the user set on the output
        File.SetUnixFileMode(output, chosen);
        AtomicFileWriter.Write(output, s => s.WriteByte(1), new AtomicWriteOptions { Overwrite = true, PermissionsFrom = source }, TestContext.Current.CancellationToken);
        Assert.Equal(1, new FileInfo(output).Length);
        Assert.Equal(chosen, File.GetUnixFileMode(output));

        UnixFileMode created = CreatedMode(folder);
        string fresh = folder.File("fresh.png");
        AtomicFileWriter.Write(fresh, s => s.WriteByte(1), new AtomicWriteOptions { PermissionsFrom = folder.File("gone.png") }, TestContext.Current.CancellationToken);
        Assert.Equal(created & Owner, File.GetUnixFileMode(fresh));
    }

    [Fact]
    public void A_quantized_image_and_its_comparison_read_no_wider_than_a_private_source()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        string source = folder.File("in.bmp");
        using (var img = Fixtures.ToImage(Fixtures.Gradient(64, 48))) SixLabors.ImageSharp.ImageExtensions.SaveAsBmp(img, source);
        File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string destination = folder.File("out.png"), comparison = folder.File("side.png");
        ImageQuantizer.Quantize(source, destination, new QuantizeOptions { K = 8, Seed = 1, ComparisonPath = comparison },
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(destination) & GroupAndOther);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(comparison) & GroupAndOther);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode CreatedMode(TempFolder folder)
    {
        string probe = folder.File("probe-" + Guid.NewGuid().ToString("N"));
        using (new FileStream(probe, FileMode.CreateNew)) { }
        UnixFileMode mode = File.GetUnixFileMode(probe);
        File.Delete(probe);
        return mode;
    }
}
