"""Data-flow analysis over `ast`: the project index and taint tracking."""

from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex
from provenfix.flow.taint import Analysis, CallSite, Value, analyse

__all__ = ["Analysis", "CallSite", "FunctionInfo", "ModuleInfo", "ProjectIndex", "Value", "analyse"]
