# Stands in for a Python without psycopg2.
raise ImportError("No module named 'psycopg2'")
