using KMeansPS.Pipeline;
using Xunit;

namespace KMeansPS.Tests.Pipeline;

/// <summary>
/// Same-stem twins in a folder that may be entered but not listed (a drop box) are found by asking for each name the
/// module reads, so the output names do not depend on who may list the folder.
/// </summary>
public class FolderStemsTests
{
    [Fact]
    public void Twins_are_found_by_name_where_the_folder_cannot_be_listed()
    {
        string folder = Directory.CreateTempSubdirectory("kmeansps-stems-").FullName;
        try
        {
            foreach (string name in new[] { "x.png", "x.jpg", "x.PPM", "x-k8.png", "y.gif" }) File.WriteAllBytes(Path.Combine(folder, name), [1]);
            string source = Path.Combine(folder, "x.png");
            List<string> probed = FolderStems.Probed(folder, source);
            Assert.Equal([Path.Combine(folder, "x.PPM"), Path.Combine(folder, "x.jpg")], probed.Order(StringComparer.Ordinal));
            // The same twins as a listing finds.
            Assert.Equal(probed.Order(StringComparer.Ordinal), new FolderStems().TwinsOf(source).Order(StringComparer.Ordinal));
            Assert.Empty(FolderStems.Probed(folder, Path.Combine(folder, "y.gif")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
