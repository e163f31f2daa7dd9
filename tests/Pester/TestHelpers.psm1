# Shared by every *.Tests.ps1: where the staged module is, and small helpers.

function Get-KMeansPSModulePath {
    if ($env:KMEANSPS_MODULE_PATH) { return $env:KMEANSPS_MODULE_PATH }
    # Run by hand after `./build.ps1 build`: the staged module, never the source.
    Join-Path $PSScriptRoot '../../out/KMeansPS/KMeansPS.psd1'
}

function Get-ChildPwshPath {
    # pwsh run as a dotnet tool is the dotnet host; the real pwsh sits in $PSHOME.
    Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
}

Export-ModuleMember -Function Get-KMeansPSModulePath, Get-ChildPwshPath
