using System.Runtime.CompilerServices;
using KMeansPS.Bridge;
using Xunit;

namespace KMeansPS.Tests.Bridge;

public sealed class EnumMappingTests
{
    // Every public enum and its mapping; a public enum missing here fails EveryPublicEnumHasAMapping.
    private static readonly Dictionary<Type, Func<object, object>> Mappings = new()
    {
        [typeof(Output.KMeansAlgorithm)] = v => ((Output.KMeansAlgorithm)v).ToEngine(),
        [typeof(Output.KMeansInit)] = v => ((Output.KMeansInit)v).ToEngine(),
        [typeof(Output.ColorSpace)] = v => ((Output.ColorSpace)v).ToImaging(),
        [typeof(Output.DitherMode)] = v => ((Output.DitherMode)v).ToImaging(),
        [typeof(Output.ImageOutputFormat)] = v => ((Output.ImageOutputFormat)v).ToImaging(),
        [typeof(Output.PlotFileFormat)] = v => ((Output.PlotFileFormat)v).ToPlotting(),
    };

    // Public enums that describe what a cmdlet did and have no library twin to map to.
    private static readonly Type[] ModuleOnly = [typeof(Output.CompressionStatus)];

    public static TheoryData<Type> PublicEnums => new(Mappings.Keys);

    [Fact]
    public void EveryPublicEnumHasAMapping()
    {
        Type[] publicEnums = typeof(Output.KMeansModel).Assembly.GetExportedTypes().Where(t => t.IsEnum && !ModuleOnly.Contains(t)).ToArray();
        Assert.Equal(publicEnums.Select(t => t.FullName).Order(), Mappings.Keys.Select(t => t.FullName).Order());
    }

    [Theory]
    [MemberData(nameof(PublicEnums))]
    public void EveryDefinedValueMapsToTheLibraryValueOfTheSameName(Type publicEnum)
    {
        Type? libraryEnum = null;
        foreach (object value in Enum.GetValues(publicEnum))
        {
            object mapped = Mappings[publicEnum](value);
            Assert.Equal(value.ToString(), mapped.ToString());
            Assert.True(Enum.IsDefined(mapped.GetType(), mapped), $"{value} maps to an undefined {mapped.GetType()} value");
            Assert.StartsWith("KMeansPS.", mapped.GetType().Namespace);
            Assert.NotEqual("KMeansPS.Output", mapped.GetType().Namespace);
            libraryEnum ??= mapped.GetType();
            Assert.Equal(libraryEnum, mapped.GetType());
        }
    }

    [Theory]
    [MemberData(nameof(PublicEnums))]
    public void AnUndefinedValueThrowsInsteadOfFallingBackToADefault(Type publicEnum)
    {
        object undefined = Enum.ToObject(publicEnum, 99);
        var ex = Assert.Throws<SwitchExpressionException>(() => Mappings[publicEnum](undefined));
        Assert.Equal(undefined, ex.UnmatchedValue);
    }
}
