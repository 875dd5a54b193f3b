"""The database: engine and sessions, the query functions, the data being served."""
